import { negotiate } from './accept';

const JSON_TYPE = 'application/json';
const HEALTH = 'application/health+json';
const REPORT = [JSON_TYPE, HEALTH];
const METRICS = 'text/plain; version=0.0.4; charset=utf-8';

describe('negotiate (Accept per RFC 9110)', () => {
  it.each<[string | undefined, string | undefined]>([
    // No preference: the server's first choice.
    [undefined, JSON_TYPE],
    ['', JSON_TYPE],
    ['  ', JSON_TYPE],
    ['*/*', JSON_TYPE],
    ['application/*', JSON_TYPE],
    // Exact names, in any case.
    [HEALTH, HEALTH],
    ['Application/Health+JSON', HEALTH],
    ['APPLICATION/JSON', JSON_TYPE],
    // A longer or shorter subtype is another type, never a substring match.
    ['application/health+jsonx', JSON_TYPE],
    ['application/health', JSON_TYPE],
    ['xapplication/health+json', JSON_TYPE],
    // Weights: the highest wins, ties go to the server's order.
    ['application/health+json;q=0.9, application/json;q=0.8', HEALTH],
    ['application/health+json;q=0.8, application/json;q=0.9', JSON_TYPE],
    ['application/health+json, application/json', JSON_TYPE],
    ['application/json;q=0.5, application/health+json;q=0.5', JSON_TYPE],
    ['application/*;q=0.5, application/health+json;q=0.9', HEALTH],
    ['application/health+json; q=1.0, application/json; q=0.999', HEALTH],
    // q=0 refuses, whatever the case of the parameter name, and the most specific range decides.
    ['application/health+json;q=0', JSON_TYPE],
    ['application/health+json;Q=0', JSON_TYPE],
    ['application/health+json;q=0.000, */*', JSON_TYPE],
    ['*/*, application/health+json;q=0', JSON_TYPE],
    ['application/json;q=0, application/health+json', HEALTH],
    ['application/json;q=0, */*;q=0.1', HEALTH],
    ['*/*;q=0, application/health+json', HEALTH],
    ['application/*;q=0, application/json', JSON_TYPE],
    // Everything refused: 406.
    ['application/json;q=0, application/health+json;q=0', undefined],
    ['*/*;q=0', undefined],
    ['application/*;q=0', undefined],
    ['application/*;q=0, text/html', undefined],
    // Nothing offered is named: the default rather than a 4xx a monitor would read as "down".
    ['text/html', JSON_TYPE],
    ['text/html, image/*;q=0.8', JSON_TYPE],
    ['text/html, application/health+json;q=0', JSON_TYPE],
    // JSON types define no charset, so asking for one does not stop a match.
    ['application/health+json; charset=utf-8', HEALTH],
    ['application/health+json; CHARSET="UTF-8"; q=0', JSON_TYPE],
    // A parameter the type does not have makes the range name another type.
    ['application/health+json; profile=x', JSON_TYPE],
    ['application/json; profile=x; q=0', JSON_TYPE],
    // Malformed elements are ignored, the rest still counts.
    ['application/health+json;q=1.5', JSON_TYPE],
    ['application/health+json;q=abc', JSON_TYPE],
    ['application/health+json;q=0.0001', JSON_TYPE],
    ['application/health+json;q', JSON_TYPE],
    ['*/json', JSON_TYPE],
    ['health+json', JSON_TYPE],
    ['application/health+json;q=1.5, application/json;q=0', HEALTH],
    [',,application/health+json,,', HEALTH],
    ['a/b;x="1,2";q=0.3, application/health+json', HEALTH],
    ['application/json;x="a;q=0"', JSON_TYPE],
    ['application/health+json;x="a\\"b";q=0, */*;q=0.1', JSON_TYPE],
    // What follows the weight are extensions, not parameters.
    ['application/health+json;q=0.5;ext=1', HEALTH],
  ])('Accept %j on the report → %s', (accept, expected) => {
    expect(negotiate(accept, REPORT)).toBe(expected);
  });

  it.each<[string | undefined, string | undefined]>([
    [undefined, JSON_TYPE],
    [HEALTH, JSON_TYPE],
    [`${HEALTH}, */*;q=0`, undefined],
    ['application/json;q=0', undefined],
    // Refused outright: asking for another type does not undo the refusal.
    ['application/json;q=0, application/health+json', undefined],
  ])('Accept %j on a JSON-only route → %s', (accept, expected) => {
    expect(negotiate(accept, [JSON_TYPE])).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    // Prometheus 2 and 3 scrapers.
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
        'text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      METRICS,
    ],
    ['text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2', METRICS],
    ['text/plain', METRICS],
    ['text/plain; charset=utf-8', METRICS],
    ['text/plain; charset=iso-8859-1, */*;q=0', undefined],
    ['text/plain;version=0.0.4;q=0', undefined],
    ['text/plain;version=1.0.0;q=0', METRICS],
    ['text/*;q=0', undefined],
  ])('Accept %j on the metrics → %s', (accept, expected) => {
    expect(negotiate(accept, [METRICS])).toBe(expected);
  });

  it('rejects a malformed offer, which is a programming error', () => {
    expect(() => negotiate('*/*', ['json'])).toThrow('not a media type: json');
  });
});
