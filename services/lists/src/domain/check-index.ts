// The credit check index (信用核查): what the lists, measures, in-force entries and ratings say about an entity,
// held in memory and fed from the event stream. Pure: no transport types; the feeder translates events into these
// facts. Memory goes to entities that have something (an in-force entry or a rating): 10^6 registered entities with
// nothing against them cost nothing here.

export type Colour = 'red' | 'black';
export type MeasureKindName = 'reward' | 'punishment';
export type EntryStateName = 'proposed' | 'notified' | 'effective' | 'objected' | 'removed';

export interface ListTypeFact {
  code: string;
  name: string;
  colour: Colour;
  ownerDepartment: string;
  legalBasis: string;
}

export interface RatingConditionFact {
  sector: string;
  grades: string[];
}

export interface MeasureFact {
  code: string;
  name: string;
  kind: MeasureKindName;
  implementingDepartment: string;
  listTypes: string[];
  ratings: RatingConditionFact[];
  /** Empty = every activity of the implementing department. */
  activities: string[];
  legalBasis: string;
}

/**
 * The part of a list entry a check answers with. Facts and the objection stay out on purpose: they are long texts
 * nobody needs to decide a measure, and 10^5 of them would dominate the index's memory. GetEntry has them.
 */
export interface EntryFact {
  id: string;
  listType: string;
  colour: Colour;
  ownerDepartment: string;
  entityCode: string;
  entityName: string;
  state: EntryStateName;
  decisionDocument: string;
  legalBasis: string;
  decidedAt?: Date;
  effectiveAt?: Date;
  /** Unset = until removed. */
  validUntil?: Date;
  removedAt?: Date;
  version: number;
}

export interface RatingFact {
  entityCode: string;
  sector: string;
  grade: string;
  ratedAt: Date;
  validUntil?: Date;
}

export type IndexEvent =
  | { kind: 'list_type_defined'; listType: ListTypeFact }
  | { kind: 'measure_defined'; measure: MeasureFact }
  /** Became effective, corrected or removed: each carries the whole entry after the transition. */
  | { kind: 'entry_changed'; entry: EntryFact }
  | { kind: 'rating_changed'; rating: RatingFact };

export type CheckCause =
  | { kind: 'entry'; entry: EntryFact; listTypeName: string; legalBasis: string }
  | { kind: 'rating'; rating: RatingFact; listTypeName: string; legalBasis: string };

export interface ApplicableMeasureFact {
  measure: MeasureFact;
  causes: CheckCause[];
}

/** In force: effective, or under objection after it had taken effect (an objection does not suspend the entry). */
export function isInForceState(entry: Pick<EntryFact, 'state' | 'effectiveAt'>): boolean {
  return entry.state === 'effective' || (entry.state === 'objected' && entry.effectiveAt !== undefined);
}

function notExpired(validUntil: Date | undefined, now: Date): boolean {
  return validUntil === undefined || validUntil.getTime() > now.getTime();
}

/** Labels shown for a rating cause, where an entry cause shows its list type's name. */
export type SectorLabel = (sector: string) => string;

export class CheckIndex {
  private readonly listTypes = new Map<string, ListTypeFact>();
  private readonly measures = new Map<string, MeasureFact>();
  /** Measures by implementing department: a check only looks at the asking department's measures. */
  private readonly measuresByDepartment = new Map<string, MeasureFact[]>();
  /** Highest version seen per entry id, kept after removal so a late stale event cannot bring an entry back. */
  private readonly entryVersions = new Map<string, number>();
  /** In-force entries per entity code; an entity without any has no key. */
  private readonly entriesByEntity = new Map<string, EntryFact[]>();
  /** Current grades per entity code (one per sector); an entity without any has no key. */
  private readonly ratingsByEntity = new Map<string, RatingFact[]>();
  private lastSeq = 0;

  constructor(private readonly sectorLabel: SectorLabel = (s) => s) {}

  /** The stream sequence of the last event applied. */
  get position(): number {
    return this.lastSeq;
  }

  get entityCount(): number {
    const codes = new Set(this.entriesByEntity.keys());
    for (const code of this.ratingsByEntity.keys()) codes.add(code);
    return codes.size;
  }

  /**
   * Applies one event at its stream sequence. An event at or below the position was applied before (a redelivery
   * after a reconnect): it changes nothing. Returns whether the index changed.
   */
  apply(event: IndexEvent, seq: number): boolean {
    if (seq <= this.lastSeq) return false;
    this.lastSeq = seq;
    switch (event.kind) {
      case 'list_type_defined':
        this.listTypes.set(event.listType.code, event.listType);
        return true;
      case 'measure_defined':
        this.defineMeasure(event.measure);
        return true;
      case 'entry_changed':
        return this.changeEntry(event.entry);
      case 'rating_changed':
        return this.changeRating(event.rating);
    }
  }

  /** Moves the position without a change: an event of the stream the index does not use. */
  skip(seq: number): void {
    if (seq > this.lastSeq) this.lastSeq = seq;
  }

  private defineMeasure(measure: MeasureFact): void {
    const previous = this.measures.get(measure.code);
    if (previous) {
      const list = this.measuresByDepartment.get(previous.implementingDepartment) ?? [];
      const rest = list.filter((m) => m.code !== measure.code);
      if (rest.length > 0) this.measuresByDepartment.set(previous.implementingDepartment, rest);
      else this.measuresByDepartment.delete(previous.implementingDepartment);
    }
    this.measures.set(measure.code, measure);
    const list = this.measuresByDepartment.get(measure.implementingDepartment) ?? [];
    list.push(measure);
    this.measuresByDepartment.set(measure.implementingDepartment, list);
  }

  private changeEntry(entry: EntryFact): boolean {
    const seen = this.entryVersions.get(entry.id);
    if (seen !== undefined && entry.version <= seen) return false;
    this.entryVersions.set(entry.id, entry.version);
    const held = this.entriesByEntity.get(entry.entityCode);
    const others = held ? held.filter((e) => e.id !== entry.id) : [];
    if (isInForceState(entry)) others.push(entry);
    if (others.length > 0) this.entriesByEntity.set(entry.entityCode, others);
    else this.entriesByEntity.delete(entry.entityCode);
    return true;
  }

  private changeRating(rating: RatingFact): boolean {
    const held = this.ratingsByEntity.get(rating.entityCode) ?? [];
    const current = held.find((r) => r.sector === rating.sector);
    // Ratings carry no version; the time they were set orders them.
    if (current && current.ratedAt.getTime() > rating.ratedAt.getTime()) return false;
    this.ratingsByEntity.set(rating.entityCode, [...held.filter((r) => r.sector !== rating.sector), rating]);
    return true;
  }

  /**
   * The measures of `department` that apply to the entity for `activity` ('' = every activity) at `now`, each with
   * its causes: in-force entries (not past valid_until) of the measure's list types, and current ratings meeting its
   * grade conditions. Measures in code order, so equal states give equal answers.
   */
  check(entityCode: string, department: string, activity: string, now: Date): ApplicableMeasureFact[] {
    const entries = this.entriesByEntity.get(entityCode);
    const ratings = this.ratingsByEntity.get(entityCode);
    if (!entries && !ratings) return [];
    const measures = this.measuresByDepartment.get(department);
    if (!measures) return [];
    const answer: ApplicableMeasureFact[] = [];
    for (const measure of measures) {
      if (activity !== '' && measure.activities.length > 0 && !measure.activities.includes(activity)) continue;
      const causes: CheckCause[] = [];
      for (const entry of entries ?? []) {
        if (!measure.listTypes.includes(entry.listType) || !notExpired(entry.validUntil, now)) continue;
        const listType = this.listTypes.get(entry.listType);
        causes.push({
          kind: 'entry',
          entry,
          listTypeName: listType?.name ?? entry.listType,
          legalBasis: entry.legalBasis || listType?.legalBasis || '',
        });
      }
      for (const rating of ratings ?? []) {
        if (!notExpired(rating.validUntil, now)) continue;
        const matches = measure.ratings.some((c) => c.sector === rating.sector && c.grades.includes(rating.grade));
        if (!matches) continue;
        causes.push({ kind: 'rating', rating, listTypeName: this.sectorLabel(rating.sector), legalBasis: measure.legalBasis });
      }
      if (causes.length > 0) answer.push({ measure, causes });
    }
    return answer.sort((a, b) => (a.measure.code < b.measure.code ? -1 : a.measure.code > b.measure.code ? 1 : 0));
  }
}
