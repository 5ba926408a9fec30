import type { Caller } from '@credit/platform';
import { permissionDenied } from '@credit/platform/errors';
import type { CatalogItem } from './item.js';

// Who may do what: a department owns the items it creates (create, edit, submit, confirm); the leading group office
// (领导小组办公室) returns items and publishes versions; everyone else only reads.

export function requireDepartment(caller: Caller): void {
  if (caller.role !== 'department' || caller.department === '') {
    throw permissionDenied('ROLE_NOT_ALLOWED', '只有部门信息报送员可以编制目录事项');
  }
}

export function requireOwner(caller: Caller, item: Pick<CatalogItem, 'code' | 'ownerDepartment'>): void {
  if (caller.role !== 'department' || caller.department !== item.ownerDepartment) {
    throw permissionDenied('NOT_ITEM_OWNER', `目录事项 ${item.code} 由部门 ${item.ownerDepartment} 负责，只有该部门可以操作`);
  }
}

export function requireOffice(caller: Caller): void {
  if (caller.role !== 'office') {
    throw permissionDenied('ROLE_NOT_ALLOWED', '只有领导小组办公室可以退回事项或发布目录');
  }
}
