import { settingsFrom, ConfigError, ConfigErrors } from '../config/settings';
import { CACHE_SETTINGS } from './cache.settings';
import { redisTargetOf } from './redis-errors';
import { isTopologyUrl, parseRedisTopology, topologyAddress } from './redis-topology-url';

const parse = (raw: string) => parseRedisTopology('REDIS_URL', raw);

/** The one message `raw` is refused with. */
function refusal(raw: string): string {
  try {
    settingsFrom(CACHE_SETTINGS, { REDIS_URL: raw });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigErrors);
    const { problems } = error as ConfigErrors;
    expect(problems).toHaveLength(1);
    return problems[0];
  }
  throw new Error(`${raw} was accepted`);
}

describe('Redis topology URLs', () => {
  it('reads a Sentinel URL: the sentinels in order, the master name, the database and the credentials', () => {
    expect(parse('redis+sentinel://:s%40cret@10.0.0.5:26379,sentinel-b,[::1]:26380/mymaster/2')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: 'sentinel-b', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'mymaster',
      database: 2,
      password: 's@cret',
    });
    expect(parse('REDIS+SENTINEL://app:pw@s1:5000/cache%2Dmain')).toMatchObject({
      sentinels: [{ host: 's1', port: 5000 }],
      masterName: 'cache-main',
      database: 0,
      username: 'app',
      password: 'pw',
    });
  });

  it('reads a Cluster URL: the startup nodes, 6379 where no port is given', () => {
    expect(parse('redis+cluster://:pw@h1:7000,h2:7001,h3')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'h1', port: 7000 },
        { host: 'h2', port: 7001 },
        { host: 'h3', port: 6379 },
      ],
      password: 'pw',
    });
    expect(parse('redis+cluster://h1:7000/')).toEqual({ mode: 'cluster', nodes: [{ host: 'h1', port: 7000 }] });
  });

  it('tells topology URLs from one server’s', () => {
    expect(['redis+sentinel://s/m', 'Redis+Cluster://h'].map(isTopologyUrl)).toEqual([true, true]);
    expect(['redis://h:6379', 'rediss://h', 'redis+sentinel:/s/m', 'nonsense'].map(isTopologyUrl)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it.each([
    ['redis+sentinel://', /^REDIS_URL has no host/],
    ['redis+sentinel://:pw@/mymaster', /^REDIS_URL has no host/],
    ['redis+sentinel://s1:26379,,s3:26379/mymaster', /^REDIS_URL has an empty host 2 of 3: separate hosts with single/],
    ['redis+sentinel://s1:26379,/mymaster', /^REDIS_URL has an empty host 2 of 2/],
    ['redis+sentinel://s1:26379,s2:26379', /^REDIS_URL names no master: redis\+sentinel:\/\/host:port,host:port\//],
    ['redis+sentinel://s1:26379/', /^REDIS_URL names no master/],
    ['redis+sentinel://s1:70000/mymaster', /^REDIS_URL host has a port that is not a number from 1 to 65535$/],
    ['redis+sentinel://s1:0/mymaster', /^REDIS_URL host has a port that is not a number from 1 to 65535$/],
    ['redis+sentinel://s1:26379,s2:port/mymaster', /^REDIS_URL host 2 of 2 has a port that is not a number/],
    ['redis+sentinel://s1:/mymaster', /^REDIS_URL host has a port that is not a number/],
    ['redis+sentinel://s1:26379/mymaster/abc', /^REDIS_URL database must be a number from 0 to 15 \(the path after/],
    ['redis+sentinel://s1:26379/mymaster/16', /^REDIS_URL database must be a number from 0 to 15/],
    ['redis+sentinel://s1:26379/mymaster/1/2', /^REDIS_URL database must be a number from 0 to 15/],
    ['redis+sentinel://s1:26379/my%zzmaster', /^REDIS_URL master name must be 1 to 128 printable characters/],
    ['redis+sentinel://s1:26379/my%20master', /^REDIS_URL master name must be 1 to 128 printable characters/],
    ['redis+sentinel://s!1:26379/mymaster', /^REDIS_URL host is not a host name or an IP address$/],
    [
      'redis+sentinel://::1:26379/mymaster',
      /^REDIS_URL host is not a host name: write an IPv6 address in brackets, e\.g\. \[::1\]$/,
    ],
    ['redis+sentinel://[nope]:26379/mymaster', /^REDIS_URL host is not a host name or an IP address$/],
    ['redis+sentinel://s1:26379/mymaster?sentinelPassword=x', /^REDIS_URL has unsupported query parameters: sentinel/],
    ['redis+sentinel://:p%zz@s1:26379/mymaster', /^REDIS_URL has a malformed password/],
    ['redis+cluster://h1:7000,h2:7001/0', /^REDIS_URL names a database, but a Redis Cluster has only database 0/],
    ['redis+cluster://h1:7000,h2:99999', /^REDIS_URL host 2 of 2 has a port that is not a number from 1 to 65535$/],
    ['redis+cluster://', /^REDIS_URL has no host/],
    ['redis+cluster://:pw@', /^REDIS_URL has no host/],
  ])('refuses %s with one line naming REDIS_URL', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
    expect(() => parse(raw)).toThrow(ConfigError);
  });

  it('never echoes the value, whose password may sit anywhere in it', () => {
    for (const raw of [
      'redis+sentinel://:Xq9Zk@Jw7@s1:26379/mymaster',
      'redis+sentinel://:Xq9Zk#Jw7@s1:26379/mymaster',
      'redis+sentinel://:Xq9Zk@s1:26379,,s2/mymaster',
      'redis+sentinel://:Xq9Zk@s1:26379/',
      'redis+sentinel://:Xq9Zk@s1:99999/mymaster',
      'redis+cluster://:Xq9Zk@h1:7000/3',
      'redis+cluster://:Xq9Zk@h1:7000?password=Jw7',
    ]) {
      const message = refusal(raw);
      for (const piece of ['Xq9Zk', 'Jw7', 's1', 'h1']) expect(message).not.toContain(piece);
    }
  });

  it('keeps the topology, the database and the words for messages in the cache settings', () => {
    const settings = settingsFrom(CACHE_SETTINGS, { REDIS_URL: 'redis+sentinel://:pw@s1:26379,s2:26380/mymaster/3' });
    expect(settings).toMatchObject({ database: 3, tls: false, topology: { mode: 'sentinel', masterName: 'mymaster' } });
    expect(redisTargetOf(settings).address).toBe('master "mymaster" via s1:26379, s2:26380');
    const cluster = settingsFrom(CACHE_SETTINGS, { REDIS_URL: 'redis+cluster://[::1]:7000,h2:7001' });
    expect(cluster).toMatchObject({ database: 0, topology: { mode: 'cluster' } });
    if (cluster.topology.mode !== 'standalone')
      expect(topologyAddress(cluster.topology)).toBe('cluster [::1]:7000, h2:7001');
  });

  it('leaves one server’s URLs as they were, and names every form when the scheme is wrong', () => {
    expect(settingsFrom(CACHE_SETTINGS, { REDIS_URL: 'rediss://u:p@cache:6380/1' })).toMatchObject({
      url: 'rediss://u:p@cache:6380/1',
      database: 1,
      tls: true,
      topology: { mode: 'standalone' },
    });
    expect(refusal('http://cache:6379')).toBe(
      'REDIS_URL must start with redis:// or rediss:// or redis+sentinel:// or redis+cluster:// (got http://...)',
    );
  });
});
