// 信用核查: the question a sector system asks inside its own approval flow.
import type * as pb from './gen/credit/lists/v1/lists.js';
import { type ListEntry, type Measure, type Rating, toListEntry, toMeasure, toRating } from './model.js';

/** Why a measure applies: an in-force list entry, or a rating. */
export interface MeasureCause {
  entry?: ListEntry;
  rating?: Rating;
  /** e.g. 失信被执行人 */
  listTypeName: string;
  legalBasis: string;
}

export interface ApplicableMeasure {
  measure: Measure;
  causes: MeasureCause[];
}

export interface CreditCheckResult {
  /** Quote it in your own records: the platform keeps the check under this id. */
  checkId: string;
  entityCode: string;
  department: string;
  activity: string;
  /** Empty = nothing stands in the way (and no reward applies). */
  measures: ApplicableMeasure[];
  /** Black-list punishments among `measures`, for the common "may this entity take part?" question. */
  restricted: boolean;
  /** The stream position the answer reflects. */
  position: number;
  checkedAt?: Date;
}

export function toCreditCheckResult(r: pb.CheckCreditResponse): CreditCheckResult {
  const measures = r.measures.map((m) => ({
    measure: toMeasure(m.measure ?? emptyMeasure()),
    causes: m.causes.map(toCause),
  }));
  return {
    checkId: r.checkId,
    entityCode: r.entityCode,
    department: r.department,
    activity: r.activity,
    measures,
    restricted: measures.some((m) => m.measure.kind === 'punishment'),
    position: r.position,
    ...(r.checkedAt ? { checkedAt: r.checkedAt } : {}),
  };
}

function toCause(c: pb.MeasureCause): MeasureCause {
  return {
    ...(c.cause?.$case === 'entry' ? { entry: toListEntry(c.cause.value) } : {}),
    ...(c.cause?.$case === 'rating' ? { rating: toRating(c.cause.value) } : {}),
    listTypeName: c.listTypeName,
    legalBasis: c.legalBasis,
  };
}

function emptyMeasure(): pb.Measure {
  return { code: '', name: '', kind: 0, implementingDepartment: '', listTypes: [], ratings: [], activities: [], legalBasis: '' };
}
