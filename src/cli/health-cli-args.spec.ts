import { CliOptions, parseArgs, ParsedArgs } from './health-cli-args';

const DEFAULT_URL = 'http://127.0.0.1:3000/api/v1/health';

function options(parsed: ParsedArgs): CliOptions {
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function usageError(parsed: ParsedArgs): string {
  if (parsed.kind !== 'usage-error') throw new Error(`expected a usage error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('parseArgs', () => {
  it('defaults to the local service on port 3000, a table and a 5 s timeout', () => {
    expect(parseArgs([], {})).toEqual({ kind: 'run', options: { url: DEFAULT_URL, json: false, timeoutMs: 5000 } });
  });

  it('takes the default port from PORT, treating an empty PORT as unset', () => {
    expect(options(parseArgs([], { PORT: '8081' })).url).toBe('http://127.0.0.1:8081/api/v1/health');
    expect(options(parseArgs([], { PORT: '' })).url).toBe(DEFAULT_URL);
  });

  it('prefers MANAGEMENT_PORT, where the details are, as the container healthcheck does', () => {
    expect(options(parseArgs([], { PORT: '8081', MANAGEMENT_PORT: '9000' })).url).toBe(
      'http://127.0.0.1:9000/api/v1/health',
    );
    expect(options(parseArgs([], { PORT: '8081', MANAGEMENT_PORT: ' ' })).url).toBe(
      'http://127.0.0.1:8081/api/v1/health',
    );
    expect(usageError(parseArgs([], { MANAGEMENT_PORT: 'admin' }))).toMatch(/^MANAGEMENT_PORT must be a port number/);
  });

  it('rejects a bad PORT only when the default URL needs it', () => {
    expect(usageError(parseArgs([], { PORT: 'http' }))).toMatch(/^PORT must be a port number .*"http"/);
    expect(usageError(parseArgs([], { PORT: '70000' }))).toMatch(/^PORT must be/);
    expect(options(parseArgs(['--url', 'http://h:1/x'], { PORT: 'http' })).url).toBe('http://h:1/x/api/v1/health');
  });

  it('reads every option, as "--opt value" and as "--opt=value"', () => {
    const expected = { url: 'https://example.test/api/v1/health', json: true, timeoutMs: 250 };
    expect(options(parseArgs(['--url', expected.url, '--json', '--timeout', '250'], {}))).toEqual(expected);
    expect(options(parseArgs([`--url=${expected.url}`, '--timeout=250', '--json'], {}))).toEqual(expected);
  });

  it('takes the service address as its base or any of its health URLs; each command finds its own route', () => {
    for (const given of [
      'http://h:3000',
      'http://h:3000/',
      'http://h:3000/api/v1/health',
      'http://h:3000/api/v1/health/',
      'http://h:3000/api/v1/health/live',
      'http://h:3000/api/v1/health/plugins/',
    ]) {
      expect(options(parseArgs(['--url', given], {})).url).toBe('http://h:3000/api/v1/health');
      expect(parseArgs(['plugins', '--url', given], {})).toMatchObject({
        kind: 'plugins',
        options: { url: 'http://h:3000/api/v1/health/plugins' },
      });
    }
  });

  it('lets a repeated option take its last value', () => {
    expect(options(parseArgs(['--timeout', '100', '--timeout', '200'], {})).timeoutMs).toBe(200);
  });

  it('answers help for --help and -h, wherever they are', () => {
    expect(parseArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseArgs(['--json', '-h'], {})).toEqual({ kind: 'help' });
  });

  it.each([
    [['--verbose'], /^unknown option "--verbose"/],
    [['-x'], /^unknown option "-x"/],
    [['health'], /^unexpected argument "health"/],
    [['--url'], /^--url needs a value/],
    [['--url', '--json'], /^--url needs a value/],
    [['--url='], /^--url needs a value/],
    [['--url', 'ftp://host/health'], /^--url must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/host\/health"\)/],
    [['--url', 'not a url'], /^--url must be an http/],
    [['--timeout', 'soon'], /^--timeout must be a whole number of ms from 1 to 600000 \(got "soon"\)/],
    [['--timeout', '0'], /^--timeout must be/],
    [['--timeout', '1.5'], /^--timeout must be/],
    [['--timeout', '600001'], /^--timeout must be/],
    [['--timeout'], /^--timeout needs a value/],
    [['--json=yes'], /^--json takes no value/],
  ])('refuses %j with a one-line reason', (argv, reason) => {
    const message = usageError(parseArgs(argv, {}));
    expect(message).toMatch(reason);
    expect(message).toMatch(/\(see --help\)$/);
    expect(message).not.toContain('\n');
  });
});
