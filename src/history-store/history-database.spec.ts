import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { HistoryDatabase } from './history-database';
import type { MinuteRow } from './minute-rollup';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const M = NOW / 60_000;

const row = (minute: number, name: string, failures: number, evaluations = 60): MinuteRow => ({
  minute,
  name,
  evaluations,
  failures,
  p50Us: 2000,
  p95Us: 3000,
  maxUs: 9000,
});

describe('HistoryDatabase', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-db-'));
    path = join(dir, 'data', 'health.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its folder and file, and what it wrote is there after reopening', () => {
    const db = HistoryDatabase.open(path, join(dir, 'data'));
    db.write([row(M, 'cache', 0), row(M + 1, 'cache', 2)], [{ at: NOW, from: null, to: 'healthy', reason: null }]);
    db.close();
    const again = HistoryDatabase.open(path, join(dir, 'data'));
    expect(again.countsInRange(M, M + 1)).toEqual([{ name: 'cache', minutes: 2, up: 1 }]);
    expect(again.countsByDay(M / 1440 - 1, M / 1440 + 1)).toEqual([
      { day: Math.floor(M / 1440), name: 'cache', minutes: 2, up: 1 },
    ]);
    expect(again.latestTransitions(10, 0)).toEqual([{ at: NOW, from: null, to: 'healthy', reason: null }]);
    again.close();
  });

  it('merges a minute written twice (a restart within it): counted once, and not up when either part failed', () => {
    const db = HistoryDatabase.open(path, join(dir, 'data'));
    db.write([row(M, 'cache', 0, 30)], []);
    db.write([row(M, 'cache', 1, 20)], []);
    db.write([row(M + 1, 'cache', 1, 20)], []);
    db.write([row(M + 1, 'cache', 0, 20)], []);
    expect(db.countsInRange(M, M + 1)).toEqual([{ name: 'cache', minutes: 2, up: 0 }]);
    expect(db.countsByDay(0, M)).toEqual([{ day: Math.floor(M / 1440), name: 'cache', minutes: 2, up: 0 }]);
    expect(db.failuresFrom(M)).toEqual(
      new Map([
        [`${M}:cache`, 1],
        [`${M + 1}:cache`, 1],
      ]),
    );
    db.close();
  });

  it('deletes minutes, days and transitions older than the cutoff, and keeps the rest', () => {
    const db = HistoryDatabase.open(path, join(dir, 'data'));
    const old = M - 31 * 1440;
    db.write(
      [row(old, 'service', 0), row(old + 1, 'service', 0), row(M, 'service', 0)],
      [
        { at: NOW - 31 * DAY_MS, from: null, to: 'healthy', reason: null },
        { at: NOW, from: null, to: 'degraded', reason: 'cache: down' },
      ],
    );
    expect(db.purge(NOW - 30 * DAY_MS)).toEqual({ minutes: 2, transitions: 1 });
    expect(db.countsInRange(0, M)).toEqual([{ name: 'service', minutes: 1, up: 1 }]);
    expect(db.countsByDay(0, M).map((r) => r.day)).toEqual([Math.floor(M / 1440)]);
    expect(db.latestTransitions(10, 0).map((t) => t.to)).toEqual(['degraded']);
    db.close();
  });

  it('answers the newest transitions oldest first, none older than asked', () => {
    const db = HistoryDatabase.open(path, join(dir, 'data'));
    const statuses = ['healthy', 'degraded', 'healthy', 'unhealthy'] as const;
    db.write(
      [],
      statuses.map((to, i) => ({ at: NOW + i, from: null, to, reason: null })),
    );
    expect(db.latestTransitions(2, 0).map((t) => t.to)).toEqual(['healthy', 'unhealthy']);
    expect(db.latestTransitions(10, NOW + 2).map((t) => t.at)).toEqual([NOW + 2, NOW + 3]);
    db.close();
  });

  it('refuses a file that is not a database, and leaves it as it was', () => {
    const bytes = 'not a database, just some bytes '.repeat(200);
    writeFileSync(join(dir, 'health.db'), bytes);
    expect(() => HistoryDatabase.open(join(dir, 'health.db'), dir)).toThrow(/not a database/);
    expect(readFileSync(join(dir, 'health.db'), 'utf8')).toBe(bytes);
  });

  it('refuses a file written by a newer version of the schema', () => {
    const newer = new DatabaseSync(join(dir, 'health.db'));
    newer.exec('PRAGMA user_version = 99');
    newer.close();
    expect(() => HistoryDatabase.open(join(dir, 'health.db'), dir)).toThrow(/newer version/);
  });

  it('refuses a folder it cannot create (a path under a file)', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => HistoryDatabase.open(join(dir, 'file', 'data', 'health.db'), join(dir, 'file', 'data'))).toThrow(
      /ENOTDIR/,
    );
  });
});
