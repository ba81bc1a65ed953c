import { Logger } from '@nestjs/common';
import { AppLogger } from './app-logger';

/** Control characters no written line may hold raw (the ESC of a colour code included). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const ESC = String.fromCharCode(0x1b);
const HOSTILE = 'evil\nforged line \u001b[31mred\u001b[0m \u009b2J \u2028end';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  return { out, err };
}

/** Everything written must be whole lines, and a call must not add more than one. */
function lines(chunks: string[]): string[] {
  const text = chunks.join('');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('AppLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('json', () => {
    it('writes one object per line: ISO time, level, context, message, and the fields at the top level', () => {
      const { out } = capture();
      new AppLogger('json', false).warn(
        { message: 'check cache failed', check: 'cache', status: 'error', from: 'ok', to: 'error' },
        'Health',
      );
      const [line] = lines(out);
      expect(JSON.parse(line)).toEqual({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: 'warn',
        context: 'Health',
        message: 'check cache failed',
        check: 'cache',
        status: 'error',
        from: 'ok',
        to: 'error',
      });
      expect(Object.keys(JSON.parse(line)).slice(0, 4)).toEqual(['time', 'level', 'context', 'message']);
    });

    it('keeps a plain message a string, and a structured call cannot overwrite time, level or context', () => {
      const { out } = capture();
      const logger = new AppLogger('json', false);
      logger.log('listening', 'Bootstrap');
      logger.log({ message: 'x', level: 'fatal', time: 'then', context: 'Other' }, 'Real');
      const [plain, structured] = lines(out).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(plain).toMatchObject({ level: 'log', context: 'Bootstrap', message: 'listening' });
      expect(structured).toMatchObject({ level: 'log', context: 'Real', message: 'x' });
      expect(structured.time).not.toBe('then');
    });

    it('escapes control characters in messages, fields and stacks: one call is always one line', () => {
      const { out, err } = capture();
      const logger = new AppLogger('json', false);
      logger.warn({ message: HOSTILE, plugin: HOSTILE }, 'Plugin\nRegistry');
      logger.error(HOSTILE, `Error: ${HOSTILE}\n    at x (file.js:1:1)`, 'Bootstrap');
      const [warning] = lines(out);
      const [error] = lines(err);
      for (const line of [warning, error]) expect(line).not.toMatch(RAW_CONTROL);
      expect(JSON.parse(warning)).toMatchObject({ message: HOSTILE, plugin: HOSTILE, context: 'Plugin\nRegistry' });
      expect(JSON.parse(error)).toMatchObject({
        level: 'error',
        message: HOSTILE,
        stack: expect.stringContaining('at x'),
      });
    });

    it('is what the Logger facade writes through once installed, with no colour codes', () => {
      const { out, err } = capture();
      Logger.overrideLogger(new AppLogger('json', false));
      new Logger('Health').warn({ message: 'status degraded', status: 'degraded' });
      new Logger('Health').error({ message: 'status unhealthy', status: 'unhealthy' });
      Logger.overrideLogger(false);
      expect(JSON.parse(lines(out)[0])).toMatchObject({ context: 'Health', status: 'degraded' });
      // Errors go to stderr.
      expect(JSON.parse(lines(err)[0])).toMatchObject({ context: 'Health', status: 'unhealthy' });
      expect([...out, ...err].join('')).not.toContain('\u001b');
    });
  });

  describe('pretty', () => {
    it('appends the fields as key=value, quoting values with spaces', () => {
      const { out } = capture();
      new AppLogger('pretty', false).warn(
        { message: 'status degraded', status: 'degraded', reason: 'cache: timed out', n: 3, names: ['a', 'b c'] },
        'Health',
      );
      const [line] = lines(out);
      expect(line).toMatch(
        /WARN \[Health\] status degraded status=degraded reason="cache: timed out" n=3 names=\["a","b c"\]$/,
      );
    });

    it('escapes control characters in messages, fields, contexts and stacks', () => {
      const { out, err } = capture();
      const logger = new AppLogger('pretty', false);
      logger.log(HOSTILE, 'Ctx\n');
      logger.warn({ message: 'manifest skipped', folder: HOSTILE });
      logger.error('boom', `Error: ${HOSTILE}\n    at x (file.js:1:1)`, 'Bootstrap');
      const written = [...lines(out), ...lines(err)];
      expect(written).toHaveLength(4); // log, warn, error and its stack: one line each
      for (const line of written) expect(line).not.toMatch(RAW_CONTROL);
      expect(written[0]).toContain('evil\\nforged line \\x1b[31mred\\x1b[0m \\x9b2J \\u2028end');
      expect(written[0]).toContain('[Ctx\\n]');
      expect(written[3]).toContain('\\n    at x');
    });

    it('writes other values inspected on one line, escaped', () => {
      const { out } = capture();
      new AppLogger('pretty', true).log({ folder: HOSTILE }, 'Ctx');
      const [line] = lines(out);
      expect(line).toContain("folder: 'evil\\nforged line \\x1B[31mred");
      // Only the logger's own colour codes are raw.
      expect(line.replace(new RegExp(`${ESC}\\[[\\d;]*m`, 'g'), '')).not.toMatch(RAW_CONTROL);
    });

    it('colours only when allowed', () => {
      const { out } = capture();
      new AppLogger('pretty', false).log('plain', 'Ctx');
      new AppLogger('pretty', true).log('coloured', 'Ctx');
      const [plain, coloured] = lines(out);
      expect(plain).not.toContain('\u001b');
      expect(coloured).toContain('\u001b[32m');
    });
  });
});
