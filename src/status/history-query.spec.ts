import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, parseHistoryQuery } from './history-query';

describe('parseHistoryQuery', () => {
  it('asks for the newest page of the default size when the query names nothing', () => {
    expect(parseHistoryQuery({})).toEqual({ limit: HISTORY_PAGE_DEFAULT, before: undefined });
    expect(parseHistoryQuery({ window: '15m' })).toEqual({ limit: HISTORY_PAGE_DEFAULT, before: undefined });
  });

  it('reads `limit` up to the maximum and `before` as an event id', () => {
    expect(parseHistoryQuery({ limit: '1', before: '42' })).toEqual({ limit: 1, before: 42 });
    expect(parseHistoryQuery({ limit: String(HISTORY_PAGE_MAX) })).toEqual({ limit: HISTORY_PAGE_MAX });
  });

  it.each([
    [{ limit: String(HISTORY_PAGE_MAX + 1) }, 'limit must be one whole number from 1 to 1000'],
    [{ limit: '0' }, 'limit must be one whole number from 1 to 1000'],
    [{ limit: '' }, 'limit must be one whole number from 1 to 1000'],
    [{ limit: '1e3' }, 'limit must be one whole number from 1 to 1000'],
    [{ limit: ['10', '20'] }, 'limit must be one whole number from 1 to 1000'],
    [{ before: '-1' }, 'before must be one whole number from 1 to 9007199254740991'],
    [{ before: '99999999999999999999' }, 'before must be one whole number from 1 to 9007199254740991'],
  ])('refuses %j: %s', (query, message) => {
    expect(parseHistoryQuery(query)).toBe(message);
  });
});
