import { ConfigError, ConfigErrors, settingsFrom } from '../config/settings';
import { describeTarget, MAX_TARGETS, notifyTargets } from './notify-target';
import { NOTIFY_SETTINGS } from './notify.settings';

const setting = notifyTargets('HEALTH_NOTIFY_URLS', { description: 'x' });
const parse = (raw?: string) => setting.parse(raw, { env: {}, stdoutIsTty: false });

function refusal(raw: string): string {
  try {
    parse(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('HEALTH_NOTIFY_URLS', () => {
  it('is empty when unset', () => {
    expect(parse(undefined)).toEqual([]);
    expect(setting.defaultText).toBe('unset');
  });

  it('picks the format from the scheme and names each target by format and position, with its host', () => {
    const targets = parse(
      'https://hooks.example.com/in/abc, slack+https://hooks.slack.com/services/T0/B0/XyZ,' +
        'discord+https://discord.com/api/webhooks/1/tok,ntfy+http://127.0.0.1:8080/alerts,,',
    );
    expect(targets.map((t) => [t.format, t.label, t.host, t.url])).toEqual([
      ['webhook', 'webhook#1', 'hooks.example.com', 'https://hooks.example.com/in/abc'],
      ['slack', 'slack#2', 'hooks.slack.com', 'https://hooks.slack.com/services/T0/B0/XyZ'],
      ['discord', 'discord#3', 'discord.com', 'https://discord.com/api/webhooks/1/tok'],
      ['ntfy', 'ntfy#4', '127.0.0.1:8080', 'http://127.0.0.1:8080/alerts'],
    ]);
    expect(describeTarget(targets[1])).toBe('slack#2 (hooks.slack.com)');
  });

  it('keeps a user name and password (sent as Basic authentication) but never shows them', () => {
    const [target] = parse('ntfy+https://phil:s3cr%40t@ntfy.example.com/backups');
    expect(target.url).toBe('https://phil:s3cr%40t@ntfy.example.com/backups');
    expect(describeTarget(target)).toBe('ntfy#1 (ntfy.example.com)');
  });

  it.each([
    ['hooks.slack.com/services/T0/B0/SECRETPATH', /^HEALTH_NOTIFY_URLS item 1 is not a URL \(expected https:/],
    ['teams+https://example.com/SECRETPATH', /^HEALTH_NOTIFY_URLS item 1 has an unknown format "teams\+"/],
    ['ftp://example.com/SECRETPATH', /^HEALTH_NOTIFY_URLS item 1 must be sent over http or https \(got ftp:\/\/…\)$/],
    ['slack+ftp://hooks.slack.com/SECRETPATH', /^HEALTH_NOTIFY_URLS item 1 must be sent over http or https/],
    [
      'ntfy+https://ntfy.sh/',
      /^HEALTH_NOTIFY_URLS item 1 has no path: add a topic \(ntfy\+https:\/\/ntfy\.sh\/<topic>\)/,
    ],
    ['slack+https://hooks.slack.com', /^HEALTH_NOTIFY_URLS item 1 has no path: add the webhook path/],
    ['https://user:pa#SECRETPATH@example.com/x', /^HEALTH_NOTIFY_URLS item 1 has a "#"/],
    ['https://us%zzer:SECRETPATH@example.com/x', /^HEALTH_NOTIFY_URLS item 1 has a malformed user name or password/],
    ['https://[SECRETPATH/x', /^HEALTH_NOTIFY_URLS item 1 is not a valid URL/],
  ])('refuses %s with one line naming the variable and never the secret', (raw, message) => {
    const text = refusal(raw);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/SECRETPATH|\n/);
  });

  it('names the position of the bad item', () => {
    expect(refusal('https://a.example/x, discord+https://discord.com/')).toMatch(/^HEALTH_NOTIFY_URLS item 2 /);
  });

  it(`takes at most ${MAX_TARGETS} targets`, () => {
    const many = Array.from({ length: MAX_TARGETS + 1 }, (_, i) => `https://h${i}.example/x`).join(',');
    expect(refusal(many)).toBe(
      `HEALTH_NOTIFY_URLS lists ${MAX_TARGETS + 1} targets; at most ${MAX_TARGETS} are allowed`,
    );
  });
});

describe('NOTIFY_SETTINGS', () => {
  it('has the contract defaults', () => {
    expect(settingsFrom(NOTIFY_SETTINGS, {})).toEqual({
      targets: [],
      secret: undefined,
      afterMs: 30_000,
      repeatMs: 3_600_000,
      intervalMs: 10_000,
      appName: 'secuscan-health',
    });
  });

  it('refuses bad values, one line each, naming the variable', () => {
    const env = {
      HEALTH_NOTIFY_AFTER_MS: 'soon',
      HEALTH_NOTIFY_REPEAT_MS: '-1',
      HEALTH_NOTIFY_INTERVAL_MS: '10',
      APP_NAME: 'bad\nname',
    };
    try {
      settingsFrom(NOTIFY_SETTINGS, env);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigErrors);
      expect((error as ConfigErrors).problems.map((p) => p.split(' ')[0])).toEqual([
        'HEALTH_NOTIFY_AFTER_MS',
        'HEALTH_NOTIFY_REPEAT_MS',
        'HEALTH_NOTIFY_INTERVAL_MS',
        'APP_NAME',
      ]);
    }
  });
});
