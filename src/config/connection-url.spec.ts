import { connectionUrl, validateConnectionUrl } from './connection-url';
import { ConfigError } from './settings';

const POSTGRES = { protocols: ['postgres:', 'postgresql:'], allowedQuery: ['sslmode', 'sslrootcert'] };
const REDIS = { protocols: ['redis:', 'rediss:'], allowedQuery: [] };

describe('validateConnectionUrl: reserved characters written raw in the user name or password', () => {
  // Each secret is made of pieces that appear nowhere in the messages, so "never echoed" is a real check.
  it.each([
    ['DATABASE_URL', POSTGRES, 'postgres://postgres:Xq9@Zk#Jw7@127.0.0.1:5432/postgres', '%23'],
    ['DATABASE_URL', POSTGRES, 'postgres://postgres:Xq9#Zk@127.0.0.1:5432/postgres', '%23'],
    ['DATABASE_URL', POSTGRES, 'postgres://postgres:Xq9@Zk@127.0.0.1:5432/postgres', '%40'],
    ['DATABASE_URL', POSTGRES, 'postgres://postgres:Xq9 Zk@127.0.0.1:5432/postgres', '%20'],
    ['DATABASE_URL', POSTGRES, 'postgres://Xq9@Zk:Jw7@127.0.0.1:5432/postgres', '%40'],
    ['DATABASE_URL', POSTGRES, 'postgres://postgres:Xq9/Zk@127.0.0.1:5432/postgres', '%2F'],
    ['REDIS_URL', REDIS, 'redis://:Xq9@Zk#Jw7@127.0.0.1:6379', '%23'],
    ['REDIS_URL', REDIS, 'redis://:Xq9@Zk@127.0.0.1:6379/0', '%40'],
    ['REDIS_URL', REDIS, 'redis://default:Xq9\tZk@127.0.0.1:6379', '%20'],
  ])('%s=%s is refused with the escape to use, no piece of it echoed', (name, rules, raw, escape) => {
    const validate = (): string => validateConnectionUrl(name, raw, rules);
    expect(validate).toThrow(ConfigError);
    expect(validate).toThrow(new RegExp(`^${name} .*${escape}`));
    let message = '';
    try {
      validate();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    for (const piece of ['Xq9', 'Zk', 'Jw7', '127.0.0.1']) expect(message).not.toContain(piece);
  });

  it('refuses the URL of the issue, whose "#" made the password\'s tail the host', () => {
    const setting = connectionUrl('DATABASE_URL', {
      default: 'postgres://postgres@127.0.0.1:5432/postgres',
      description: '',
      rules: POSTGRES,
    });
    expect(() =>
      setting.parse('postgres://postgres:p@ss#word@127.0.0.1:5432/postgres', { env: {}, stdoutIsTty: false }),
    ).toThrow('DATABASE_URL has a "#", which would end the URL there: write "#" in the user name or password as %23');
  });

  it.each([
    'postgres://postgres:Xq9%40Zk%23Jw7%20%2F@127.0.0.1:5432/postgres',
    'postgres://postgres@127.0.0.1:5432/postgres?sslmode=require&sslrootcert=/etc/ssl/ca.pem',
    'postgres://u:p@db/app',
    'postgres://db',
  ])('accepts the escaped and plain forms: %s', (raw) => {
    expect(validateConnectionUrl('DATABASE_URL', raw, POSTGRES)).toBe(raw);
  });

  it.each(['redis://:Xq9%40Zk%23@127.0.0.1:6379/0', 'redis://127.0.0.1:6379', 'rediss://u:p@cache:6380'])(
    'accepts %s',
    (raw) => {
      expect(validateConnectionUrl('REDIS_URL', raw, REDIS)).toBe(raw);
    },
  );
});
