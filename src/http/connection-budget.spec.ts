import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionBudget, readSoftFileLimit } from './connection-budget';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('readSoftFileLimit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the soft limit of open files', () => {
    const file = join(dir, 'limits');
    writeFileSync(file, LIMITS);
    expect(readSoftFileLimit(file)).toBe(20000);
  });

  it('is undefined where the file is missing or says nothing about files', () => {
    expect(readSoftFileLimit(join(dir, 'missing'))).toBeUndefined();
    const file = join(dir, 'other');
    writeFileSync(file, 'Max cpu time unlimited unlimited seconds\n');
    expect(readSoftFileLimit(file)).toBeUndefined();
  });

  it('reads this process’s own limit on Linux', () => {
    expect(readSoftFileLimit()).toBeGreaterThan(0);
  });
});

describe('connectionBudget', () => {
  it.each([256, 1024, 4096, 20000, 1_048_576])('stays below a soft limit of %s', (limit) => {
    const { main, management } = connectionBudget(limit);
    const files = limit;
    expect(main.connections).toBeGreaterThanOrEqual(16);
    expect(management.connections).toBeGreaterThanOrEqual(16);
    if (files >= 1024) {
      expect(main.connections + management.connections).toBeLessThanOrEqual(files - Math.max(256, files / 10));
    }
  });

  it('keeps 256 of the usual 1024 for everything else and caps the main listener at 4096', () => {
    expect(connectionBudget(1024)).toEqual({
      main: { connections: 576, probeSeats: 32 },
      management: { connections: 192, probeSeats: 24 },
      fileLimit: 1024,
    });
    expect(connectionBudget(20000)).toMatchObject({
      main: { connections: 4096, probeSeats: 32 },
      management: { connections: 256, probeSeats: 32 },
    });
  });

  it.each([256, 600, 1024, 20000])(
    'keeps 4 to 32 probe seats and most connections shared at a limit of %s',
    (limit) => {
      const { main, management } = connectionBudget(limit);
      for (const { connections, probeSeats } of [main, management]) {
        expect(probeSeats).toBeGreaterThanOrEqual(4);
        expect(probeSeats).toBeLessThanOrEqual(32);
        expect(connections - probeSeats).toBeGreaterThanOrEqual((connections * 3) / 4);
      }
    },
  );

  it('reads the limit of this process when given none, and says which it used', () => {
    expect(connectionBudget().fileLimit).toBe(readSoftFileLimit());
  });
});
