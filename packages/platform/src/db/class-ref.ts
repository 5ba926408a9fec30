/** An entity or migration class, typed as TypeORM types it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity and migration classes
export type ClassRef = Function;
