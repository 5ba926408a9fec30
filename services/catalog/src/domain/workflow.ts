import type { Caller } from '@credit/platform';
import { failedPrecondition, invalidArgument } from '@credit/platform/errors';
import { STATE_NAMES, sameDetails, type CatalogItem, type ItemDetails, type ItemState } from './item.js';
import { requireDepartment, requireOffice, requireOwner } from './permissions.js';

// The item workflow: draft → submitted → confirmed (盖章确认) by the owner; the office may send a submitted item back
// to draft. Publication copies confirmed revisions into a version and leaves the item as it is; editing a confirmed
// item opens its next revision as a draft, which must be confirmed again before it enters a later version.

export const RETURN_REASON_MAX = 500;

function requireState(item: CatalogItem, wanted: ItemState, action: string): void {
  if (item.state !== wanted) {
    throw failedPrecondition(
      'ILLEGAL_TRANSITION',
      `目录事项 ${item.code} 当前为「${STATE_NAMES[item.state]}」，只有「${STATE_NAMES[wanted]}」的事项可以${action}`,
    );
  }
}

export function draftItem(caller: Caller, details: ItemDetails, now: Date): CatalogItem {
  requireDepartment(caller);
  return {
    ...details,
    ownerDepartment: caller.department,
    state: 'draft',
    revision: 1,
    confirmedBy: null,
    confirmedAt: null,
    publishedVersion: null,
    returnReason: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The owner's edit. A draft changes in place; a confirmed item becomes its next revision, a draft again. */
export function reviseItem(caller: Caller, item: CatalogItem, details: ItemDetails, now: Date): CatalogItem {
  requireOwner(caller, item);
  if (item.state === 'submitted') {
    throw failedPrecondition('ITEM_UNDER_REVIEW', `目录事项 ${item.code} 已报送待确认，请先确认或由领导小组办公室退回后再修改`);
  }
  if (sameDetails(item, details)) return item;
  const reopened = item.state === 'confirmed';
  return {
    ...item,
    ...details,
    code: item.code,
    state: 'draft',
    revision: reopened ? item.revision + 1 : item.revision,
    confirmedBy: null,
    confirmedAt: null,
    publishedVersion: null,
    updatedAt: now,
  };
}

export function submitItem(caller: Caller, item: CatalogItem, now: Date): CatalogItem {
  requireOwner(caller, item);
  requireState(item, 'draft', '报送');
  return { ...item, state: 'submitted', returnReason: null, updatedAt: now };
}

/** 盖章确认: only the owning department confirms, and the officer who did is recorded. */
export function confirmItem(caller: Caller, item: CatalogItem, now: Date): CatalogItem {
  requireOwner(caller, item);
  requireState(item, 'submitted', '盖章确认');
  return { ...item, state: 'confirmed', confirmedBy: caller.subject, confirmedAt: now, updatedAt: now };
}

export function returnItem(caller: Caller, item: CatalogItem, reason: string, now: Date): CatalogItem {
  requireOffice(caller);
  const why = reason.trim();
  if (why === '' || [...why].length > RETURN_REASON_MAX) {
    throw invalidArgument([
      { field: 'reason', reason: why === '' ? 'REQUIRED' : 'FIELD_TOO_LONG', message: `退回原因必填，且不超过${RETURN_REASON_MAX}个字` },
    ]);
  }
  requireState(item, 'submitted', '退回');
  return { ...item, state: 'draft', returnReason: why, updatedAt: now };
}
