import { parseWholeNumber } from '../common/whole-number';

/** Transitions in one answer of the history when the query names no `limit`: the default size of the history. */
export const HISTORY_PAGE_DEFAULT = 500;
/** The most transitions one answer of the history holds, however many are kept: its size stays bounded. */
export const HISTORY_PAGE_MAX = 1000;

/** Which page of transitions a request of the history asks for. */
export interface HistoryPageQuery {
  readonly limit: number;
  /** Only transitions with an id below this; `undefined`: the newest. */
  readonly before?: number;
}

/**
 * The page that the query string of `GET /history` asks for, or a one-line reason why it cannot be read. Each
 * parameter at most once, in digits: a repeated or malformed one is refused, not guessed at.
 */
export function parseHistoryQuery(query: Readonly<Record<string, unknown>>): HistoryPageQuery | string {
  const limit = wholeNumber(query, 'limit', 1, HISTORY_PAGE_MAX);
  const before = wholeNumber(query, 'before', 1, Number.MAX_SAFE_INTEGER);
  if (typeof limit === 'string') return limit;
  if (typeof before === 'string') return before;
  return { limit: limit ?? HISTORY_PAGE_DEFAULT, before };
}

/** `query[name]` as a whole number from `min` to `max`, `undefined` when absent, or why it is refused. */
function wholeNumber(
  query: Readonly<Record<string, unknown>>,
  name: string,
  min: number,
  max: number,
): number | string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' ? parseWholeNumber(raw, min, max) : undefined;
  return value ?? `${name} must be one whole number from ${min} to ${max}`;
}
