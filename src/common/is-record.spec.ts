import { isRecord } from './is-record';

describe('isRecord', () => {
  it('accepts plain objects and errors', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(new Error('x'))).toBe(true);
  });

  it.each([null, undefined, [], 'text', 1, true])('refuses %p', (value) => {
    expect(isRecord(value)).toBe(false);
  });
});
