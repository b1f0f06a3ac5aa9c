import { InvalidArgumentError } from './errors.js';

/** Events returned when no `limit` is given, and the most one call returns. */
export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1_000;

/**
 * Checks the arguments tools and query strings carry. Numbers may come as JSON numbers (tools)
 * or decimal strings (query strings, `Last-Event-ID`, and models that quote numbers).
 */

function integerFrom(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : undefined;
  if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) return Number(raw);
  return undefined;
}

/** A non-empty service name. */
export function serviceNameArgument(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InvalidArgumentError(
      'name',
      'give the service name as a non-empty string, e.g. {"name": "memory"} (service_list shows the names)',
    );
  }
  return raw;
}

/** An event seq (`since`): absent, or an integer ≥ 0. */
export function seqArgument(raw: unknown, argument = 'since'): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const seq = integerFrom(raw);
  if (seq === undefined || seq < 0) {
    throw new InvalidArgumentError(
      argument,
      `must be an event seq (an integer ≥ 0), got ${JSON.stringify(raw)}`,
    );
  }
  return seq;
}

/** How many events (`limit`): absent (the default), or an integer from 1 to the maximum. */
export function limitArgument(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_EVENT_LIMIT;
  const limit = integerFrom(raw);
  if (limit === undefined || limit < 1 || limit > MAX_EVENT_LIMIT) {
    throw new InvalidArgumentError(
      'limit',
      `must be an integer from 1 to ${MAX_EVENT_LIMIT}, got ${JSON.stringify(raw)}`,
    );
  }
  return limit;
}
