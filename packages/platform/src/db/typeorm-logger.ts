import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '../logger.js';

/**
 * Routes TypeORM's own messages into the service's pino logger. Individual queries are not logged (the pg
 * instrumentation traces them); failed queries and migrations are.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ err: error, query: query.slice(0, 500) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: query.slice(0, 500) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
