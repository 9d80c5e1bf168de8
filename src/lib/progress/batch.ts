/**
 * Progress events one `progress.record` call may carry: the API refuses more, and the student's
 * outbox sends at most this many at a time. Browser-safe, so both read this one number.
 */
export const MAX_EVENTS_PER_BATCH = 100;
