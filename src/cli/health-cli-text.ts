import { escapeControl } from '../logging/escape-control';

/** ANSI colours the table uses; nothing else in the CLI writes escape sequences. */
const ANSI = { green: '\x1b[32m', yellow: '\x1b[33m', red: '\x1b[31m', reset: '\x1b[0m' } as const;

/** A colour of the table, by meaning rather than by name. */
export type Tone = 'good' | 'warn' | 'bad' | 'plain';

/** The tone of a check, overall or plugin status; an unknown (future) status stays plain rather than guessing. */
export function toneOf(status: string): Tone {
  if (status === 'ok' || status === 'healthy' || status === 'runnable') return 'good';
  if (status === 'degraded') return 'warn';
  if (status === 'error' || status === 'unhealthy' || status === 'blocked') return 'bad';
  return 'plain';
}

/** Wraps `text` in the colour of `tone`; callers pad before painting, since escapes have no width on screen. */
export function paint(text: string, tone: Tone): string {
  if (tone === 'plain') return text;
  const code = tone === 'good' ? ANSI.green : tone === 'warn' ? ANSI.yellow : ANSI.red;
  return `${code}${text}${ANSI.reset}`;
}

/**
 * Whether to colour: only for a person at a terminal, and never when `NO_COLOR` is set to a non-empty value
 * (https://no-color.org) or the terminal says it cannot (`TERM=dumb`). Pipes, files and CI logs get plain text.
 */
export function shouldColor(stdoutIsTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return stdoutIsTty && !env.NO_COLOR && env.TERM !== 'dumb';
}

/**
 * Text from the server made safe for one table cell or one stderr line: control characters (newlines, and ESC, so
 * a server cannot inject escape sequences into the user's terminal) become spaces, runs of spaces collapse, and the
 * invisible characters left (bidi controls such as U+202E, zero-width ones, line separators) are shown escaped
 * (`\u202e`), so a plugin named "\u202egnp.exe" cannot read as "exe.png" or reorder the rest of the row.
 */
export function printable(text: string): string {
  return escapeControl(
    text
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim(),
  );
}
