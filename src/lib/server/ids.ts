import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** ISO-8601 UTC: sorts as text, reads the same on SQLite and PostgreSQL. */
export const isoNow = (now: Date = new Date()): string => now.toISOString();
