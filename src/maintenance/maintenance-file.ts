import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isRecord } from '../common/is-record';
import { MAX_REASON_LENGTH, type MaintenanceWindow } from './maintenance-window';

/** The window's file in `HEALTH_DATA_DIR`. */
export const MAINTENANCE_FILE = 'maintenance.json';

/** The file's content: times as RFC 3339 text, so a person can read it (and fix it) in an editor. */
interface StoredWindow {
  readonly since: string;
  readonly until: string;
  readonly reason: string | null;
}

/**
 * The window stored at `path`, or `undefined` when there is no file. Throws an `Error` whose message says what is
 * wrong (unreadable, not JSON, not a window), for one warning line; the caller then starts without a window.
 */
export function readWindowFile(path: string): MaintenanceWindow | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // No file, or no folder (a path through a regular file): no window; writing will say what is wrong, once.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const window = isRecord(stored) ? windowOf(stored) : undefined;
  if (!window) throw new Error(`${path} does not hold a maintenance window`);
  return window;
}

function windowOf({ since, until, reason }: Record<string, unknown>): MaintenanceWindow | undefined {
  const start = typeof since === 'string' ? Date.parse(since) : NaN;
  const end = typeof until === 'string' ? Date.parse(until) : NaN;
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  if (reason !== null && (typeof reason !== 'string' || [...reason].length > MAX_REASON_LENGTH)) return undefined;
  return { since: start, until: end, reason };
}

/**
 * Stores `window` at `path`, or removes the file when there is none. Atomic: the text goes to a temporary file in the
 * same folder, is flushed to the disk, and replaces the old file by a rename, so a crash or a full disk leaves the
 * old window or the new one, never half of one. Creates the folder when it is missing.
 */
export async function writeWindowFile(path: string, window: MaintenanceWindow | undefined): Promise<void> {
  if (!window) {
    await rm(path, { force: true });
    return;
  }
  const stored: StoredWindow = {
    since: new Date(window.since).toISOString(),
    until: new Date(window.until).toISOString(),
    reason: window.reason,
  };
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const file = await open(temporary, 'w', 0o644);
    try {
      await file.writeFile(`${JSON.stringify(stored, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
