import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';
import { escapeControl, escapeJsonControl } from './escape-control';

/** `json`: one JSON object per line, for collectors. `pretty`: Nest's human-readable lines. */
export type LogFormat = 'json' | 'pretty';

/**
 * A structured log call: `logger.warn({ message: 'check cache failed', check: 'cache', status: 'error' })`. In json
 * mode the fields sit beside `message` at the top level of the line; in pretty mode they follow it as `key=value`.
 */
export interface LogFields {
  readonly message: string;
  readonly [field: string]: unknown;
}

/** The keys of a json line that a structured call cannot overwrite. */
const RESERVED = new Set(['time', 'level', 'context', 'stack']);

function isLogFields(message: unknown): message is LogFields {
  return (
    typeof message === 'object' &&
    message !== null &&
    !Array.isArray(message) &&
    typeof (message as { message?: unknown }).message === 'string'
  );
}

/** A value in pretty mode: a string bare when it is a plain word, else JSON-quoted; anything else as JSON. */
function prettyValue(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Nest's console logger in the service's two formats. Json: `{"time","level","context","message",…fields}` per line
 * on stdout (stderr for errors), with every control character escaped, so one call is always exactly one line.
 * Pretty: Nest's own layout, with the fields of a structured call appended and control characters escaped too;
 * colours only when the configuration allows them (a terminal, no `NO_COLOR`).
 */
export class AppLogger extends ConsoleLogger {
  constructor(
    private readonly format: LogFormat,
    colors: boolean,
  ) {
    super(format === 'json' ? { json: true, colors: false, compact: true } : { json: false, colors });
  }

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    if (isLogFields(message)) {
      const { message: text, ...fields } = message;
      const pairs = Object.entries(fields).map(([key, value]) => `${key}=${prettyValue(value)}`);
      return this.colorize(escapeControl([text, ...pairs].join(' ')), logLevel);
    }
    if (typeof message === 'string') return this.colorize(escapeControl(message), logLevel);
    if (typeof message === 'function') return String(super.stringifyMessage(message, logLevel));
    // Inspected without colours, so the escaping below only ever touches what the value itself holds.
    return this.colorize(escapeControl(inspect(message, { ...this.inspectOptions, colors: false })), logLevel);
  }

  protected override formatContext(context: string): string {
    return super.formatContext(escapeControl(context));
  }

  /** A pretty stack stays on one line too: an error message inside it could otherwise forge the next line. */
  protected override printStackTrace(stack: string): void {
    if (this.format === 'pretty' && stack) super.printStackTrace(escapeControl(stack));
  }

  protected override printAsJson(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ): void {
    const fields = isLogFields(message)
      ? Object.fromEntries(Object.entries(message).filter(([key]) => !RESERVED.has(key)))
      : { message };
    const line = {
      time: new Date().toISOString(),
      level: options.logLevel,
      ...(options.context ? { context: options.context } : {}),
      ...fields,
      ...(typeof options.errorStack === 'string' && options.errorStack ? { stack: options.errorStack } : {}),
    };
    const stream = options.writeStreamType ?? 'stdout';
    process[stream].write(`${escapeJsonControl(this.stringifyJsonLogObject(line))}\n`);
  }
}
