// Writes a transaction only needs done by COMMIT (its audit entry, its outbox rows, the answer kept for a repeated
// request id, a history row) are queued and sent together as one statement. On a machine where a database round
// trip costs the service 150-250 µs of CPU, a list decision made 19 of them; the writes at its end were 9.
//
// One statement of several writes is a WITH of data-modifying statements. PostgreSQL runs every one of them to
// completion, on the same snapshot, whether or not the main query reads it. So no queued write may depend on another
// (they do not see each other's effects) or touch a row another touches; what a later statement of the transaction
// reads must not be queued behind it — inTransaction sends the queue before any other statement, to be safe.

/** One queued write: a single INSERT, UPDATE or DELETE with its parameters numbered from $1. */
export interface DeferredWrite {
  sql: string;
  params: unknown[];
  /** Receives the statement's RETURNING rows, each as to_json gives it (bigint as a number, bytea as hex text). */
  onRows?: (rows: Record<string, unknown>[]) => void;
}

/** One statement to send, and how to hand its result rows back to the writes that asked. */
export interface CombinedWrite {
  sql: string;
  params: unknown[];
  /** Hands the rows of the combined statement to each write's onRows (a write with none is not called). */
  deliver(rows: unknown): void;
}

// PostgreSQL's bind message counts parameters in an int16.
const MAX_PARAMS = 65_535;
const DATA_STATEMENT = /^\s*(INSERT|UPDATE|DELETE)\b/i;
const PARAMETER = /\$(\d+)/g;

/**
 * Folds the writes into as few statements as the parameter limit allows, in order. A statement's text must not carry
 * `$` except in its parameters (no dollar quoting): they are renumbered.
 */
export function combineWrites(writes: DeferredWrite[]): CombinedWrite[] {
  const out: CombinedWrite[] = [];
  let group: DeferredWrite[] = [];
  let count = 0;
  for (const w of writes) {
    assertDeferrable(w);
    if (group.length > 0 && count + w.params.length > MAX_PARAMS) {
      out.push(combine(group));
      group = [];
      count = 0;
    }
    group.push(w);
    count += w.params.length;
  }
  if (group.length > 0) out.push(combine(group));
  return out;
}

/** Refuses, where it is queued, a statement that cannot run as a WITH query of another. */
export function assertDeferrable(write: DeferredWrite): void {
  if (!DATA_STATEMENT.test(write.sql)) throw new Error(`only INSERT, UPDATE or DELETE can be deferred: ${write.sql.slice(0, 60)}`);
}

/** The statement with each `$n` moved to `$(n + offset)`, to follow `offset` parameters of another statement. */
export function renumberParameters(sql: string, offset: number): string {
  return offset === 0 ? sql : sql.replace(PARAMETER, (_, n: string) => `$${Number(n) + offset}`);
}

function combine(group: DeferredWrite[]): CombinedWrite {
  const wanting = group.flatMap((w, i) => (w.onRows ? [i] : []));
  if (group.length === 1 && wanting.length === 0) return { sql: group[0]!.sql, params: group[0]!.params, deliver: () => {} };
  const params: unknown[] = [];
  const parts = group.map((w) => {
    const offset = params.length;
    for (const p of w.params) params.push(p);
    return renumberParameters(w.sql, offset);
  });
  if (wanting.length === 0) {
    // The last write is the main statement; the others run as its WITH queries.
    const last = parts.pop()!;
    return { sql: `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(', ')} ${last}`, params, deliver: () => {} };
  }
  const select = wanting.map((i) => `SELECT ${i} AS w, to_json(w${i}) AS r FROM w${i}`).join(' UNION ALL ');
  return {
    sql: `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(', ')} ${select}`,
    params,
    deliver: (result) => {
      const rows = result as { w: number; r: Record<string, unknown> }[];
      for (const i of wanting) group[i]!.onRows!(rows.filter((row) => row.w === i).map((row) => row.r));
    },
  };
}
