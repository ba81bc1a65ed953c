import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsFrom } from '../config/settings';
import { HISTORY_STORE_SETTINGS } from '../history-store';
import { MAINTENANCE_FILE } from './maintenance-file';
import type { MaintenanceChange } from './maintenance.service';
import { MaintenanceService } from './maintenance.service';

const NOW = Date.parse('2026-12-05T18:00:00.000Z');
const MINUTE = 60_000;

describe('MaintenanceService', () => {
  let dir: string;
  let warn: jest.SpyInstance;
  const services: MaintenanceService[] = [];

  /** A service over `dataDir` (default: the test's folder), initialised as Nest would. */
  function service(dataDir = dir): MaintenanceService {
    const created = new MaintenanceService(settingsFrom(HISTORY_STORE_SETTINGS, { HEALTH_DATA_DIR: dataDir }));
    created.onModuleInit();
    services.push(created);
    return created;
  }

  beforeEach(() => {
    // Only Date is faked: the file writes need the real timers and I/O.
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    dir = mkdtempSync(join(tmpdir(), 'maintenance-spec-'));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    for (const created of services.splice(0)) created.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds from the start of a window until its end, with no timer run: the clock alone ends it', async () => {
    const maintenance = service();
    expect(maintenance.holds(NOW)).toBe(false);
    await maintenance.start({ since: NOW, until: NOW + 30 * MINUTE, reason: 'upgrading nmap' });
    expect(maintenance.holds(Date.now())).toBe(true);
    // The system time moves past the end; no timer is allowed to fire.
    jest.setSystemTime(NOW + 30 * MINUTE);
    expect(maintenance.active()).toBeUndefined();
    expect(maintenance.holds(Date.now())).toBe(false);
  });

  it('tells followers when a window starts, when it is ended, and when its end comes', async () => {
    const maintenance = service();
    const changes: Array<MaintenanceChange['kind']> = [];
    maintenance.changes$.subscribe((change) => changes.push(change.kind));
    await maintenance.start({ since: NOW, until: NOW + 5 * MINUTE, reason: null });
    await maintenance.end();
    expect(changes).toEqual(['started', 'ended']);
    await maintenance.start({ since: NOW, until: NOW + 5 * MINUTE, reason: null });
    jest.advanceTimersByTime(5 * MINUTE - 1);
    expect(changes).toEqual(['started', 'ended', 'started']);
    jest.advanceTimersByTime(1);
    expect(changes).toEqual(['started', 'ended', 'started', 'ended']);
  });

  it('a replaced window is announced once, at the end of the new one', async () => {
    const maintenance = service();
    const changes: Array<MaintenanceChange['kind']> = [];
    maintenance.changes$.subscribe((change) => changes.push(change.kind));
    await maintenance.start({ since: NOW, until: NOW + 5 * MINUTE, reason: null });
    await maintenance.start({ since: NOW, until: NOW + 10 * MINUTE, reason: 'longer' });
    jest.advanceTimersByTime(5 * MINUTE);
    expect(maintenance.active()?.reason).toBe('longer');
    expect(changes).toEqual(['started', 'started']);
    jest.advanceTimersByTime(5 * MINUTE);
    expect(changes).toEqual(['started', 'started', 'ended']);
  });

  it('stores the window as readable JSON and picks it up again after a restart', async () => {
    const outcome = await service().start({ since: NOW, until: NOW + 30 * MINUTE, reason: 'upgrading nmap' });
    expect(outcome.persisted).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, MAINTENANCE_FILE), 'utf8'))).toEqual({
      since: '2026-12-05T18:00:00.000Z',
      until: '2026-12-05T18:30:00.000Z',
      reason: 'upgrading nmap',
    });
    jest.setSystemTime(NOW + 10 * MINUTE);
    const restarted = service();
    expect(restarted.active()).toEqual({ since: NOW, until: NOW + 30 * MINUTE, reason: 'upgrading nmap' });
    expect(restarted.persisted).toBe(true);
  });

  it('ends the window on disk too, and starts without one whose end passed while it was down', async () => {
    const maintenance = service();
    await maintenance.start({ since: NOW, until: NOW + 30 * MINUTE, reason: null });
    expect((await maintenance.end())?.persisted).toBe(true);
    expect(service().active()).toBeUndefined();
    expect(await maintenance.end()).toBeUndefined();

    await service().start({ since: NOW, until: NOW + 30 * MINUTE, reason: null });
    jest.setSystemTime(NOW + 30 * MINUTE);
    expect(service().active()).toBeUndefined();
  });

  it('an unwritable folder is one warning: the window holds in memory, marked as not persisted', async () => {
    // A folder below a regular file can never be created, whoever runs the test (root included).
    writeFileSync(join(dir, 'file'), '');
    const maintenance = service(join(dir, 'file', 'data'));
    const first = await maintenance.start({ since: NOW, until: NOW + 30 * MINUTE, reason: null });
    const second = await maintenance.start({ since: NOW, until: NOW + 60 * MINUTE, reason: null });
    expect([first.persisted, second.persisted, maintenance.persisted]).toEqual([false, false, false]);
    expect(maintenance.holds(Date.now())).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatchObject({
      message: expect.stringMatching(
        /^cannot write .*maintenance\.json \(.*\); maintenance windows are kept in memory only$/,
      ),
    });
  });

  it('a file it cannot read is one warning and no window, never a failed start', () => {
    writeFileSync(join(dir, MAINTENANCE_FILE), '{"until": ');
    expect(service().active()).toBeUndefined();
    writeFileSync(join(dir, MAINTENANCE_FILE), '{"until": "tomorrow"}');
    expect(service().active()).toBeUndefined();
    expect(warn.mock.calls.map(([fields]) => (fields as { message: string }).message)).toEqual([
      expect.stringMatching(/maintenance\.json is not valid JSON; starting without a maintenance window$/),
      expect.stringMatching(/maintenance\.json does not hold a maintenance window; starting without/),
    ]);
  });

  it('writes one after the other, so the file ends with the window as it stands', async () => {
    const maintenance = service();
    const writes = [
      maintenance.start({ since: NOW, until: NOW + 5 * MINUTE, reason: 'first' }),
      maintenance.start({ since: NOW, until: NOW + 9 * MINUTE, reason: 'second' }),
      maintenance.end(),
      maintenance.start({ since: NOW, until: NOW + 7 * MINUTE, reason: 'last' }),
    ];
    await Promise.all(writes);
    expect(JSON.parse(readFileSync(join(dir, MAINTENANCE_FILE), 'utf8'))).toMatchObject({ reason: 'last' });
  });
});
