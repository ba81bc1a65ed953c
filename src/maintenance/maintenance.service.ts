import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { resolve } from 'node:path';
import { Observable, Subject } from 'rxjs';
import type { NotificationGate } from '../notify';
import { MAINTENANCE_FILE, readWindowFile, writeWindowFile } from './maintenance-file';
import { isActive, type MaintenanceWindow } from './maintenance-window';
import { HISTORY_STORE_SETTINGS, type HistoryStoreSettings } from '../history-store';

/** The longest delay a Node timer keeps; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A window began, or ended (ended by a request, or over at its `until`). */
export interface MaintenanceChange {
  readonly kind: 'started' | 'ended';
  readonly window: MaintenanceWindow;
}

/** A window as a request changed it: `persisted` says whether it is on disk, so it survives a restart. */
export interface MaintenanceOutcome {
  readonly window: MaintenanceWindow;
  readonly persisted: boolean;
}

/**
 * The maintenance window: at most one, kept in `HEALTH_DATA_DIR/maintenance.json` so it survives a restart. What is
 * active is decided by the clock alone (a window whose `until` has passed is over, whatever timers did), so readers
 * such as the notifications (this is their gate: {@link holds}) and the report ask {@link active} and never see a
 * stale window. {@link changes$} tells followers when a window starts and ends. A folder that cannot be written is
 * one warning: the window then lives in memory until the next restart.
 */
@Injectable()
export class MaintenanceService implements NotificationGate, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Maintenance');
  private readonly path: string;
  private window?: MaintenanceWindow;
  /** Writes one after the other, each storing the window as it is when it runs, so the last one on disk is current. */
  private writing: Promise<unknown> = Promise.resolve();
  private unwritable = false;
  /** Whether the latest write of the window reached the disk (a window read from it at start did). */
  private onDisk = true;
  private expiry?: NodeJS.Timeout;
  private readonly changes = new Subject<MaintenanceChange>();

  /** Every window that starts or ends, at the moment it does; completes at shutdown. */
  readonly changes$: Observable<MaintenanceChange> = this.changes.asObservable();

  // HEALTH_DATA_DIR is the service's one data folder, declared with the durable history that shares it.
  constructor(@Inject(HISTORY_STORE_SETTINGS.token) settings: HistoryStoreSettings) {
    this.path = resolve(settings.dataDir, MAINTENANCE_FILE);
  }

  /** Picks up a window still active from before a restart; a file that cannot be read is one warning and no window. */
  onModuleInit(): void {
    let stored: MaintenanceWindow | undefined;
    try {
      stored = readWindowFile(this.path);
    } catch (error) {
      this.logger.warn({
        message: `${(error as Error).message}; starting without a maintenance window`,
        file: this.path,
      });
      return;
    }
    if (!isActive(stored, Date.now())) return;
    this.window = stored;
    this.logger.log({ message: `maintenance window until ${iso(stored.until)} goes on`, ...fieldsOf(stored) });
    this.expireAt(stored);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.expiry);
    this.changes.complete();
  }

  /** The window active at `now` (epoch ms), if any. */
  active(now: number = Date.now()): MaintenanceWindow | undefined {
    return isActive(this.window, now) ? this.window : undefined;
  }

  /** Whether the window as it stands is stored, so it survives a restart. */
  get persisted(): boolean {
    return this.onDisk;
  }

  /** Whether notifications are held at `now` (epoch ms): while a window is active. From memory, for the notifier. */
  holds(now: number): boolean {
    return this.active(now) !== undefined;
  }

  /** Starts `window`, replacing any active one, and stores it. */
  async start(window: MaintenanceWindow): Promise<MaintenanceOutcome> {
    this.window = window;
    this.expireAt(window);
    const reason = window.reason === null ? '' : `: ${window.reason}`;
    this.logger.log({ message: `maintenance window until ${iso(window.until)}${reason}`, ...fieldsOf(window) });
    this.changes.next({ kind: 'started', window });
    return { window, persisted: await this.store() };
  }

  /** Ends the window active at `now`; `undefined` when none is. */
  async end(now: number = Date.now()): Promise<MaintenanceOutcome | undefined> {
    const window = this.active(now);
    if (!window) return undefined;
    this.window = undefined;
    clearTimeout(this.expiry);
    this.logger.log({ message: `maintenance window ended before ${iso(window.until)}`, ...fieldsOf(window) });
    this.changes.next({ kind: 'ended', window });
    return { window, persisted: await this.store() };
  }

  /** Tells followers when `window` is over. Only a signal: {@link active} needs no timer to see that it is. */
  private expireAt(window: MaintenanceWindow): void {
    clearTimeout(this.expiry);
    const left = window.until - Date.now();
    this.expiry = setTimeout(
      () => {
        if (this.window !== window) return;
        // A file edited by hand may hold a window longer than a timer can wait (24.8 days): wait again.
        if (Date.now() < window.until) return this.expireAt(window);
        this.logger.log({ message: `maintenance window over (until ${iso(window.until)})`, ...fieldsOf(window) });
        this.changes.next({ kind: 'ended', window });
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
    // A window must not keep a stopping process alive.
    this.expiry.unref();
  }

  /** Stores the current window after the writes before it; whether it reached the disk. */
  private store(): Promise<boolean> {
    const stored = this.writing.then(() => this.write());
    this.writing = stored;
    return stored;
  }

  private async write(): Promise<boolean> {
    try {
      await writeWindowFile(this.path, this.window);
    } catch (error) {
      if (!this.unwritable) {
        this.logger.warn({
          message: `cannot write ${this.path} (${(error as Error).message}); maintenance windows are kept in memory only`,
          file: this.path,
        });
      }
      this.unwritable = true;
      return (this.onDisk = false);
    }
    if (this.unwritable) this.logger.log({ message: `${this.path} is writable again`, file: this.path });
    this.unwritable = false;
    return (this.onDisk = true);
  }
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

function fieldsOf(window: MaintenanceWindow) {
  return { since: iso(window.since), until: iso(window.until), reason: window.reason };
}
