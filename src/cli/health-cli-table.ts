import { isRecord } from '../common/is-record';
import type { ReceivedCheck, ReceivedReport } from './health-cli-judge';
import { paint, printable, toneOf } from './health-cli-text';

/** How {@link formatTable} renders. */
export interface TableOptions {
  /** ANSI colours for statuses; decided by the caller (see `shouldColor`), never by the formatter. */
  readonly color: boolean;
  /** Where the report came from, shown in the header so a pasted output says which instance it describes. */
  readonly url: string;
}

const HEADINGS = ['CHECK', 'STATUS', 'LATENCY', 'DETAIL'] as const;
/** The fields every check has; any other field is shown in DETAIL when there is nothing better to say. */
const KNOWN_FIELDS = new Set(['status', 'latency_ms', 'detail']);

/**
 * Renders a report for people: a header line (overall status, version, uptime, URL), the maintenance window when
 * one is active, a blank line, then one row
 * per check in the report's order — including checks this CLI has never heard of — under CHECK, STATUS, LATENCY
 * and DETAIL. Every string from the server goes through `printable`, so the output is plain text plus, only when
 * `color` is set, the status colours. Ends with a newline.
 */
export function formatTable(report: ReceivedReport, { color, url }: TableOptions): string {
  const tone = (status: string, text = status): string => (color ? paint(text, toneOf(status)) : text);
  const version = typeof report.version === 'string' ? printable(report.version) : '?';
  const uptime = formatUptime(report.uptime_seconds);
  const header = `status: ${tone(report.status)}  version: ${version}  uptime: ${uptime}  url: ${url}`;
  const maintenance = formatMaintenance(report.maintenance);
  const rows = Object.entries(report.checks).map(([name, check]) => [
    printable(name),
    printable(check.status),
    formatLatency(check.latency_ms),
    formatDetail(check),
  ]);
  const lines = formatColumns(HEADINGS, rows, {
    rightAligned: [2],
    paint: (padded, row, col) => (col === 1 ? tone(rows[row][1], padded) : padded),
  });
  return [header, ...maintenance, '', ...lines].join('\n') + '\n';
}

/**
 * The line under the header while the service is in a maintenance window (`maintenance: until <time>: <reason>`),
 * so a person reading a failing table knows someone said so; nothing otherwise, or when the field is malformed.
 */
function formatMaintenance(maintenance: unknown): string[] {
  if (!isRecord(maintenance) || typeof maintenance.until !== 'string') return [];
  const reason = typeof maintenance.reason === 'string' && maintenance.reason ? `: ${maintenance.reason}` : '';
  return [printable(`maintenance: until ${maintenance.until}${reason} (notifications held)`)];
}

/** How {@link formatColumns} lays cells out. */
export interface ColumnOptions {
  /** Columns whose cells are right-aligned (numbers, so their points line up). */
  readonly rightAligned?: readonly number[];
  /** Colours a body cell after padding (escape sequences would otherwise count as width); headings stay plain. */
  readonly paint?: (padded: string, row: number, col: number) => string;
}

/**
 * A plain-text table: the heading line, then one line per row; each column as wide as its widest cell, columns two
 * spaces apart, the last column not padded and no trailing blanks. Cells must already be printable.
 */
export function formatColumns(
  headings: readonly string[],
  rows: readonly (readonly string[])[],
  { rightAligned = [], paint }: ColumnOptions = {},
): string[] {
  const widths = headings.map((heading, col) => Math.max(heading.length, ...rows.map((row) => row[col].length)));
  const line = (cells: readonly string[], row?: number): string =>
    cells
      .map((cell, col) => {
        const last = col === cells.length - 1;
        const padded = last ? cell : rightAligned.includes(col) ? cell.padStart(widths[col]) : cell.padEnd(widths[col]);
        return row !== undefined && paint ? paint(padded, row, col) : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(headings), ...rows.map((row, index) => line(row, index))];
}

/** `3412` → `56m 52s`: the scale people think in; a missing or negative value shows as `?`. */
export function formatUptime(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.floor(seconds);
  const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function formatLatency(ms: unknown): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '-';
}

/**
 * The error message when there is one; else the check's own fields (`total=12, runnable=10`), whatever they are, and
 * its list, if any, item by item: `hosts: 10.0.0.6:5432 ok (lag_bytes=0, streaming=true); ...`.
 */
function formatDetail(check: ReceivedCheck): string {
  if (typeof check.detail === 'string' && check.detail.trim()) return printable(check.detail);
  const extras = Object.entries(check)
    .filter(([key]) => !KNOWN_FIELDS.has(key))
    .flatMap(([key, value]) => {
      if (isScalar(value)) return [printable(`${key}=${String(value)}`)];
      if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
        return [`${printable(key)}: ${value.map(formatItem).join('; ')}`];
      }
      return [];
    });
  return extras.length > 0 ? extras.join(', ') : '-';
}

/** An item of a list: its name (the first value), its status, then its other values (`null` ones left out). */
function formatItem(item: Readonly<Record<string, unknown>>): string {
  const [name, ...rest] = Object.entries(item).filter(([, value]) => isScalar(value));
  const status = typeof item.status === 'string' ? ` ${printable(item.status)}` : '';
  const others = rest
    .filter(([key]) => key !== 'status' && key !== 'detail')
    .map(([key, value]) => `${key}=${String(value)}`);
  const head = name ? printable(String(name[1])) : '?';
  return `${head}${status}${others.length ? ` (${printable(others.join(', '))})` : ''}`;
}

function isScalar(value: unknown): value is string | number | boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}
