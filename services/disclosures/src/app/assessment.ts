import type { PublishedItem } from '@credit/catalog-client';
import { invalidArgument } from '@credit/platform';
import { administrativeLevel, type AdministrativeLevel } from '../domain/index.js';
import type { CounterTotals } from '../db/assessment-store.js';

/** One line of the assessment (考核) report. */
export interface AssessmentRow {
  /** Empty on a total line. */
  department: string;
  divisionCode: string;
  level: AdministrativeLevel | undefined;
  itemsOwned: number;
  itemsCovered: number;
  coverage: number;
  accepted: number;
  late: number;
  timeliness: number;
  rejected: number;
  rejectionRate: number;
}

/** The counters' prefix for everything under a division: 54 for the region, 5401 for 拉萨市, 540102 for 城关区. */
export function divisionPrefix(divisionCode: string): string {
  if (divisionCode === '') return '';
  const level = administrativeLevel(divisionCode);
  if (!level) {
    throw invalidArgument([{ field: 'division_code', reason: 'UNKNOWN_DIVISION', message: `“${divisionCode}”不是西藏自治区的行政区划代码` }]);
  }
  return level === 'region' ? '54' : level === 'prefecture' ? divisionCode.slice(0, 4) : divisionCode;
}

/**
 * Per department and division: coverage of the department's double publicity items (全覆盖、零遗漏), timeliness
 * (share received within 7 working days) and rejection rate; then the totals of each level (自治区, 市（地）,
 * 县（区）) and of the whole. A department that owns items but reported nothing still gets a line, with coverage 0.
 */
export function assessmentReport(counts: CounterTotals[], items: PublishedItem[]): AssessmentRow[] {
  const owned = new Map<string, number>();
  const ownedItems = new Set<string>();
  for (const item of items) {
    if (item.category !== 'licence' && item.category !== 'penalty') continue;
    owned.set(item.ownerDepartment, (owned.get(item.ownerDepartment) ?? 0) + 1);
    ownedItems.add(`${item.ownerDepartment}|${item.code}`);
  }
  const lines = new Map<string, { department: string; divisionCode: string; items: Set<string>; accepted: number; late: number; rejected: number }>();
  for (const c of counts) {
    const key = `${c.department}|${c.divisionCode}`;
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { department: c.department, divisionCode: c.divisionCode, items: new Set(), accepted: 0, late: 0, rejected: 0 }));
    // Counters outlive catalog versions: an item withdrawn since, or now another department's, covers nothing.
    if (c.accepted > 0 && ownedItems.has(`${c.department}|${c.itemCode}`)) line.items.add(c.itemCode);
    line.accepted += c.accepted;
    line.late += c.late;
    line.rejected += c.rejected;
  }
  const reported = new Set([...lines.values()].map((l) => l.department));
  const entries = [...lines.values()].map((l) => ({
    items: l.items,
    row: row(l.department, l.divisionCode, owned.get(l.department) ?? 0, l.items.size, l.accepted, l.late, l.rejected),
  }));
  for (const [department, n] of owned) if (!reported.has(department)) entries.push({ items: new Set(), row: row(department, '', n, 0, 0, 0, 0) });
  entries.sort((a, b) => a.row.department.localeCompare(b.row.department) || a.row.divisionCode.localeCompare(b.row.divisionCode));
  const rows = entries.map((e) => e.row);

  // A department reporting under several divisions owns its items once: a total counts each department's items once
  // and an item as covered when any of its chosen lines covers it.
  const totals = (pick: (r: AssessmentRow) => boolean, divisionCode: string, level: AdministrativeLevel | undefined) => {
    const chosen = entries.filter((e) => pick(e.row));
    const covered = new Map<string, Set<string>>();
    for (const e of chosen) {
      const set = covered.get(e.row.department) ?? new Set<string>();
      e.items.forEach((item) => set.add(item));
      covered.set(e.row.department, set);
    }
    const itemsOwned = [...covered.keys()].reduce((s, d) => s + (owned.get(d) ?? 0), 0);
    const itemsCovered = [...covered.values()].reduce((s, set) => s + set.size, 0);
    const sum = (f: (r: AssessmentRow) => number) => chosen.reduce((s, e) => s + f(e.row), 0);
    return { ...row('', divisionCode, itemsOwned, itemsCovered, sum((r) => r.accepted), sum((r) => r.late), sum((r) => r.rejected)), level };
  };
  const levels: AdministrativeLevel[] = ['region', 'prefecture', 'county'];
  return [
    ...rows,
    ...levels.map((level) => totals((r) => r.level === level, '', level)),
    totals(() => true, '', undefined),
  ];
}

function row(department: string, divisionCode: string, itemsOwned: number, itemsCovered: number, accepted: number, late: number, rejected: number): AssessmentRow {
  return {
    department,
    divisionCode,
    level: administrativeLevel(divisionCode),
    itemsOwned,
    itemsCovered,
    coverage: ratio(itemsCovered, itemsOwned),
    accepted,
    late,
    timeliness: ratio(accepted - late, accepted),
    rejected,
    rejectionRate: ratio(rejected, accepted + rejected),
  };
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);
