import { parseWholeNumber } from './whole-number';

describe('parseWholeNumber', () => {
  it.each([
    ['0', 0, 10, 0],
    ['10', 0, 10, 10],
    ['007', 0, 10, 7],
  ])('reads %p within [%p, %p]', (text, min, max, expected) => {
    expect(parseWholeNumber(text, min, max)).toBe(expected);
  });

  it.each(['', ' 5', '5 ', '-1', '+1', '1.5', '1e3', '0x10', 'abc', '11'])('refuses %p', (text) => {
    expect(parseWholeNumber(text, 0, 10)).toBeUndefined();
  });
});
