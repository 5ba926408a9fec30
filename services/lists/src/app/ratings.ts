// SetRating / GetRatings: the current grade per entity and sector, every change kept in rating_history, and a
// RatingChanged event in the same transaction through the outbox.
import type { DataSource } from 'typeorm';
import { Rating as RatingMessage } from '@credit/contracts/credit/lists/v1/lists.js';
import { RatingChanged } from '@credit/contracts/credit/lists/v1/events.js';
import { idempotent, inTransaction, invalidArgument, jsonCodec, requireRole, type Caller, type Outbox } from '@credit/platform';
import { checkEntityCode } from '../domain/definitions.js';
import { assertMayRate, validateRating, type RatingInput } from '../domain/ratings.js';

export interface StoredRating {
  entityCode: string;
  sector: string;
  grade: string;
  ratedAt: Date;
  validUntil?: Date;
}

interface RatingRow {
  entity_code: string;
  sector: string;
  grade: string;
  rated_at: Date;
  valid_until: Date | null;
}

function fromRow(r: RatingRow): StoredRating {
  return {
    entityCode: r.entity_code,
    sector: r.sector,
    grade: r.grade,
    ratedAt: r.rated_at,
    ...(r.valid_until ? { validUntil: r.valid_until } : {}),
  };
}

const ratingCodec = jsonCodec<StoredRating>((plain) => ({
  ...plain,
  ratedAt: new Date(plain.ratedAt),
  ...(plain.validUntil ? { validUntil: new Date(plain.validUntil) } : {}),
}));

export function ratingChangedSubject(sector: string): string {
  return `credit.lists.v1.rating_changed.rating.${sector}`;
}

export function toRatingMessage(r: StoredRating): RatingMessage {
  return { entityCode: r.entityCode, sector: r.sector, grade: r.grade, ratedAt: r.ratedAt, validUntil: r.validUntil };
}

export class Ratings {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Sets a grade. The same grade with the same validity again changes nothing and publishes nothing; a new
   * validity for the same grade is a change (the check index must learn when the grade stops applying).
   */
  async setRating(caller: Caller, requestId: string, input: RatingInput): Promise<StoredRating> {
    requireRole(caller, 'department');
    const now = this.now();
    const rating = validateRating(input, now);
    assertMayRate(caller.department, rating.sector);
    return inTransaction(this.ds, (em) =>
      idempotent(em, { caller, requestId, method: 'SetRating' }, ratingCodec, async () => {
        const [current] = (await em.query(
          `SELECT entity_code, sector, grade, rated_at, valid_until FROM rating WHERE entity_code = $1 AND sector = $2 FOR UPDATE`,
          [rating.entityCode, rating.sector],
        )) as RatingRow[];
        const validUntilMs = rating.validUntil?.getTime() ?? null;
        if (current && current.grade === rating.grade && (current.valid_until?.getTime() ?? null) === validUntilMs) {
          return fromRow(current);
        }
        const [row] = (await em.query(
          `INSERT INTO rating (entity_code, sector, grade, rated_at, valid_until, rated_by) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (entity_code, sector) DO UPDATE
             SET grade = EXCLUDED.grade, rated_at = EXCLUDED.rated_at, valid_until = EXCLUDED.valid_until, rated_by = EXCLUDED.rated_by
           RETURNING entity_code, sector, grade, rated_at, valid_until`,
          [rating.entityCode, rating.sector, rating.grade, now, rating.validUntil ?? null, caller.subject],
        )) as RatingRow[];
        await em.query(
          `INSERT INTO rating_history (entity_code, sector, grade, previous_grade, rated_at, valid_until, rated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [rating.entityCode, rating.sector, rating.grade, current?.grade ?? null, now, rating.validUntil ?? null, caller.subject],
        );
        const stored = fromRow(row!);
        await this.outbox.add(em, [
          {
            type: 'credit.lists.v1.RatingChanged',
            subject: ratingChangedSubject(stored.sector),
            entity: stored.entityCode,
            data: RatingChanged.encode({ rating: toRatingMessage(stored), previousGrade: current?.grade ?? '' }).finish(),
          },
        ]);
        return stored;
      }),
    );
  }

  /** The grades in force now (expired ones left out), by sector. */
  async getRatings(caller: Caller, entityCode: string): Promise<StoredRating[]> {
    requireRole(caller, 'department', 'sector', 'office', 'operator');
    const entity = checkEntityCode('entity_code', entityCode);
    if (entity.violation) throw invalidArgument([entity.violation]);
    const rows = (await this.ds.query(
      `SELECT entity_code, sector, grade, rated_at, valid_until FROM rating
        WHERE entity_code = $1 AND (valid_until IS NULL OR valid_until > $2) ORDER BY sector`,
      [entity.code, this.now()],
    )) as RatingRow[];
    return rows.map(fromRow);
  }
}
