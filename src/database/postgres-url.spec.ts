import { ConfigError } from '../config/settings';
import { postgresEndpoints, postgresUrl } from './postgres-url';

const CONTEXT = { env: {}, stdoutIsTty: false };

/** The message `raw` is refused with, checked to be one line that echoes no piece of the password `Xq9Zk`. */
function refusal(raw: string): string {
  try {
    postgresEndpoints('DATABASE_URL', raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toMatch(/Xq9|Zk/);
    return message;
  }
  throw new Error(`${raw} was accepted`);
}

describe('postgresEndpoints', () => {
  it('reads a libpq host list in order, a host without a port on 5432, each with a URL of its own', () => {
    const endpoints = postgresEndpoints(
      'DATABASE_URL',
      'postgres://app:Xq9Zk@db1:5433,db2,10.0.0.7:6432/scans?sslmode=require',
    );
    expect(endpoints).toEqual([
      { host: 'db1', port: 5433, address: 'db1:5433', url: 'postgres://app:Xq9Zk@db1:5433/scans?sslmode=require' },
      { host: 'db2', port: 5432, address: 'db2:5432', url: 'postgres://app:Xq9Zk@db2:5432/scans?sslmode=require' },
      {
        host: '10.0.0.7',
        port: 6432,
        address: '10.0.0.7:6432',
        url: 'postgres://app:Xq9Zk@10.0.0.7:6432/scans?sslmode=require',
      },
    ]);
  });

  it('takes IPv6 addresses in brackets, with and without a port', () => {
    const endpoints = postgresEndpoints('DATABASE_URL', 'postgresql://[::1]:5433,[fd00::7]/postgres');
    expect(endpoints.map(({ host, port, address }) => ({ host, port, address }))).toEqual([
      { host: '::1', port: 5433, address: '[::1]:5433' },
      { host: 'fd00::7', port: 5432, address: '[fd00::7]:5432' },
    ]);
    expect(endpoints[1].url).toBe('postgresql://[fd00::7]:5432/postgres');
  });

  it('keeps a single-host URL as it was, with the port made explicit', () => {
    expect(postgresEndpoints('DATABASE_URL', 'postgres://db')).toEqual([
      { host: 'db', port: 5432, address: 'db:5432', url: 'postgres://db:5432' },
    ]);
  });

  it('splits the host list after the credentials, so a comma in a password is no host', () => {
    const [only] = postgresEndpoints('DATABASE_URL', 'postgres://app:a,b@db:5432/scans');
    expect(only.address).toBe('db:5432');
  });

  it.each([
    [
      'postgres://u:Xq9Zk@db1:5432,,db3/app',
      'DATABASE_URL has an empty host 2 of 3: separate hosts with single commas',
    ],
    ['postgres://u:Xq9Zk@db1:5432,/app', 'DATABASE_URL has an empty host 2 of 2: separate hosts with single commas'],
    ['postgres://u:Xq9Zk@/app', 'DATABASE_URL has no host (expected postgres://...@h1:5432,h2:5432/...)'],
    ['postgres:///app', 'DATABASE_URL has no host (expected postgres://...@h1:5432,h2:5432/...)'],
    [
      'postgres://u:Xq9Zk@db1:5432,db2:70000/app',
      'DATABASE_URL host 2 of 2 has a port that is not a number from 1 to 65535',
    ],
    ['postgres://u:Xq9Zk@db1:0/app', 'DATABASE_URL host has a port that is not a number from 1 to 65535'],
    [
      'postgres://u:Xq9Zk@db1:5432,db2:x/app',
      'DATABASE_URL host 2 of 2 has a port that is not a number from 1 to 65535',
    ],
    [
      'postgres://u:Xq9Zk@db1,::1/app',
      'DATABASE_URL host 2 of 2 is not a host name: write an IPv6 address in brackets, e.g. [::1]',
    ],
  ])('refuses %s with one line naming the host by its place', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it.each([
    // A raw "/" in the password ends the host part: the password's tail must not be read as a host or a port.
    ['postgres://u:Xq9/Zk@db1:5432,db2/app', /^DATABASE_URL has an "@" after a "\/"/],
    ['postgres://u:Xq9#Zk@db1,db2/app', /^DATABASE_URL has a "#"/],
    [
      'postgres://u:Xq9Zk@db1,db2/app?connect_timeout=1',
      /^DATABASE_URL has unsupported query parameters: connect_timeout/,
    ],
    ['mysql://u:Xq9Zk@db1,db2/app', /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['not a url', /^DATABASE_URL is not a valid URL/],
  ])('refuses %s as a single-host URL would be, echoing none of it', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });
});

describe('postgresUrl', () => {
  const setting = postgresUrl('DATABASE_URL', {
    default: 'postgres://postgres@127.0.0.1:5432/postgres',
    description: '',
  });

  it('parses to the URL as written, multi-host included', () => {
    expect(setting.parse('postgres://u@h1:5432,h2:5433/db', CONTEXT)).toBe('postgres://u@h1:5432,h2:5433/db');
    expect(setting.parse(undefined, CONTEXT)).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('refuses a bad host list at parse', () => {
    expect(() => setting.parse('postgres://h1,,h2/db', CONTEXT)).toThrow(
      'DATABASE_URL has an empty host 2 of 3: separate hosts with single commas',
    );
  });
});
