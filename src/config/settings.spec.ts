import { ConfigError, ConfigErrors, defineSettings, flag, integer, list, oneOf, parseGroups, text } from './settings';

const context = (env: Record<string, string>) => ({ env, stdoutIsTty: false });

describe('settings', () => {
  const group = defineSettings(
    'demo',
    {
      size: integer('DEMO_SIZE', { default: 5, min: 1, max: 10, description: 'size' }),
      limit: integer('DEMO_LIMIT', { default: undefined, min: 1, max: 10, description: 'limit' }),
      mode: oneOf('DEMO_MODE', ['a', 'b'], { default: 'a', description: 'mode' }),
      on: flag('DEMO_ON', { default: false, description: 'on' }),
      name: text('DEMO_NAME', {
        default: 'x',
        description: 'name',
        check: (raw) => (raw.includes(' ') ? 'has a space' : undefined),
      }),
      ids: list('DEMO_IDS', { description: 'ids' }),
    },
    (values) => {
      if (values.limit !== undefined && values.limit < values.size)
        throw new ConfigError('DEMO_LIMIT must be at least DEMO_SIZE');
      return values;
    },
  );

  it('applies defaults, treats blank as unset, and freezes the values', () => {
    const values = group.parse(context({ DEMO_SIZE: '  ', DEMO_IDS: ' a, ,b ' }));
    expect(values).toEqual({ size: 5, limit: undefined, mode: 'a', on: false, name: 'x', ids: new Set(['a', 'b']) });
    expect(Object.isFrozen(values)).toBe(true);
  });

  it('reads every kind of value', () => {
    expect(
      group.parse(context({ DEMO_SIZE: '7', DEMO_LIMIT: '9', DEMO_MODE: 'b', DEMO_ON: 'true', DEMO_NAME: 'y' })),
    ).toMatchObject({
      size: 7,
      limit: 9,
      mode: 'b',
      on: true,
      name: 'y',
    });
  });

  it('names every bad variable of a group, one line each, and runs the cross-variable rule only when all parsed', () => {
    expect(() =>
      group.parse(context({ DEMO_SIZE: '0', DEMO_MODE: 'c', DEMO_ON: 'yes', DEMO_NAME: 'a b', DEMO_LIMIT: '2' })),
    ).toThrow(
      new ConfigErrors([
        'DEMO_SIZE must be a whole number from 1 to 10 (got "0")',
        'DEMO_MODE must be one of a, b (got "c")',
        'DEMO_ON must be one of true, false (got "yes")',
        'DEMO_NAME has a space',
      ]),
    );
    expect(() => group.parse(context({ DEMO_SIZE: '5', DEMO_LIMIT: '2' }))).toThrow(
      new ConfigErrors(['DEMO_LIMIT must be at least DEMO_SIZE']),
    );
  });

  it('parses several groups at once, each once, and reports the problems of all of them', () => {
    const other = defineSettings('other', {
      port: integer('OTHER_PORT', { default: 1, min: 1, max: 2, description: 'p' }),
    });
    expect(() => parseGroups([group, other], context({ DEMO_SIZE: 'x', OTHER_PORT: '3' }))).toThrow(
      new ConfigErrors([
        'DEMO_SIZE must be a whole number from 1 to 10 (got "x")',
        'OTHER_PORT must be a whole number from 1 to 2 (got "3")',
      ]),
    );
    expect([...parseGroups([group, other, group], context({})).keys()]).toEqual([group, other]);
  });

  it('echoes at most 40 printable characters of a bad value', () => {
    expect(() => group.parse(context({ DEMO_SIZE: `\u001b[31m${'9'.repeat(60)}` }))).toThrow(
      /^DEMO_SIZE must be a whole number from 1 to 10 \(got "\?\[31m9{35}"\)$/,
    );
  });

  it('lets an error that is not about configuration through', () => {
    const broken = defineSettings('broken', {
      bad: {
        name: 'BAD',
        defaultText: '',
        description: '',
        parse: () => {
          throw new TypeError('bug');
        },
      },
    });
    expect(() => broken.parse(context({}))).toThrow(TypeError);
  });
});
