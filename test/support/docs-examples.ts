import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsFrom } from '../../src/config/settings';
import { HEALTH_SETTINGS } from '../../src/health/health.settings';
import { exampleReports } from '../../src/health/health-examples';
import { answerHealthJson, healthJsonLinks, toHealthJson } from '../../src/health/health-json';
import { exampleBody, ntfyExampleRequest } from '../../src/notify/notification.examples';
import { DETAIL_EXAMPLE, DIAGNOSTICS_EXAMPLE } from '../../src/plugins/diagnostics/plugin-diagnostics.examples';
import { replicasDefinition, shippedDefinitions } from './shipped-checks';

/** The repository. */
export const ROOT = join(__dirname, '..', '..');

/**
 * The files whose examples are kept true: the README and the guides. `docs/SPEC.md` is the contract, written by
 * hand and changed only by an issue, so it is left as it stands.
 */
export function docFiles(): string[] {
  const guides = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md') && name !== 'SPEC.md')
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...guides];
}

/** Languages of fenced blocks that show what the service answers: each needs a mark saying how it is checked. */
export const ANSWER_LANGUAGES = new Set(['json', 'jsonc', 'json5', 'http']);

/** One fenced code block of a Markdown file, with the `<!-- example: … -->` mark standing right before it. */
export interface Block {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly indent: string;
  readonly content: string;
  /** What the mark says after `example:`, or undefined when the block has no mark. */
  readonly mark?: string;
  /** Offsets of `content` in the file, to rewrite it. */
  readonly start: number;
  readonly end: number;
}

const FENCE = /^( *)```([\w+-]*)[^\n]*\n([\s\S]*?)^\1```[ \t]*$/gm;
const MARK = /<!--\s*example:\s*([\s\S]*?)\s*-->\s*$/;

/** Every fenced block of `text`; a mark counts when only blank lines stand between it and the fence. */
export function blocksOf(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  for (const match of text.matchAll(FENCE)) {
    const [whole, indent, language, content] = match;
    const index = match.index;
    const before = text.slice(0, index).replace(/\s*$/, '');
    const mark = MARK.exec(before.slice(before.lastIndexOf('\n') + 1))?.[1];
    const start = index + whole.indexOf('\n') + 1;
    blocks.push({
      file,
      line: text.slice(0, index).split('\n').length,
      language,
      indent,
      content,
      mark,
      start,
      end: start + content.length,
    });
  }
  return blocks;
}

/** A mark `generated <name>; GET <path> …` split into its checks. */
export interface ParsedMark {
  readonly generated?: string;
  readonly live?: LiveCheck;
  readonly cli?: CliCheck;
  readonly log?: boolean;
  readonly illustrative?: string;
}

/**
 * `GET|POST|DELETE <path> ['<json body>'] [-H '<name>: <value>']… [→ <code>] [with NAME=value]… [in <state>]
 * [at .a.b] [omits a,b]`. Examples of one service (the same `with` settings) are asked in the order of the guides, so
 * a `POST` that starts something is seen by the examples after it.
 */
export interface LiveCheck {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /** The JSON body a `POST` sends. */
  readonly body?: string;
  readonly headers: Record<string, string>;
  readonly status?: number;
  readonly env: Record<string, string>;
  readonly state: 'healthy' | 'degraded' | 'unhealthy';
  readonly at: string[];
  readonly omits: string[];
}

/** `cli [<args>] [in <state>] [→ <exit code>]`: the built CLI's output, asked of the live service. */
export interface CliCheck {
  readonly args: string[];
  readonly state: LiveCheck['state'];
  readonly exitCode?: number;
}

/** Reads a mark; throws on one it cannot read, so a typo never turns into an unchecked example. */
export function parseMark(mark: string): ParsedMark {
  const illustrative = /^illustrative:\s*(\S[\s\S]*)$/.exec(mark);
  if (illustrative) return { illustrative: illustrative[1] };
  let result: ParsedMark = {};
  for (const part of mark.split(/;\s+/)) {
    const generated = /^generated ([\w-]+)$/.exec(part);
    if (generated) result = { ...result, generated: generated[1] };
    else if (part === 'log') result = { ...result, log: true };
    else if (/^(GET|POST|DELETE) /.test(part)) result = { ...result, live: parseLive(part) };
    else if (/^cli\b/.test(part)) result = { ...result, cli: parseCli(part) };
    else throw new Error(`cannot read the example mark "${mark}" (at "${part}")`);
  }
  return result;
}

function parseCli(part: string): CliCheck {
  const match = /^cli((?: --?[\w-]+(?:=\S+)?)*)(?: in (healthy|degraded|unhealthy))?(?: → (\d))?$/.exec(part);
  if (!match) throw new Error(`cannot read "${part}"`);
  return {
    args: match[1].trim() ? match[1].trim().split(' ') : [],
    state: (match[2] as LiveCheck['state'] | undefined) ?? 'healthy',
    exitCode: match[3] === undefined ? undefined : Number(match[3]),
  };
}

/**
 * A CLI output with what changes from run to run (numbers, URLs, runs of spaces that align columns around them)
 * made alike, so the layout and wording are compared, not the measurements.
 */
export function cliLayout(text: string): string[] {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/https?:\/\/\S+/g, 'URL')
        .replace(/\d+(\.\d+)?/g, 'N')
        .replace(/ +/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

function parseLive(part: string): LiveCheck {
  const method = /^(GET|POST|DELETE) /.exec(part)![1] as LiveCheck['method'];
  let rest = part.slice(method.length + 1).trim();
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = pattern.exec(rest);
    if (match) rest = rest.slice(match[0].length).trim();
    return match;
  };
  const path = take(/^(\/\S*)/)?.[1];
  if (!path) throw new Error(`no path in "${part}"`);
  const body = method === 'POST' ? take(/^'([^']*)'/)?.[1] : undefined;
  const headers: Record<string, string> = {};
  const env: Record<string, string> = {};
  let status: number | undefined;
  let state: LiveCheck['state'] = 'healthy';
  let at: string[] = [];
  let omits: string[] = [];
  while (rest) {
    let match: RegExpExecArray | null;
    if ((match = take(/^-H '([^':]+):\s*([^']*)'/))) headers[match[1].toLowerCase()] = match[2];
    else if ((match = take(/^→ (\d{3})/))) status = Number(match[1]);
    else if ((match = take(/^with ([A-Z_]+)=(\S*)/))) env[match[1]] = match[2];
    else if ((match = take(/^in (healthy|degraded|unhealthy)\b/))) state = match[1] as LiveCheck['state'];
    else if ((match = take(/^at ((?:\.[\w-]+)+)/))) at = match[1].slice(1).split('.');
    else if ((match = take(/^omits ([\w,-]+)/))) omits = match[1].split(',');
    else throw new Error(`cannot read "${rest}" in "${part}"`);
  }
  return { method, path, ...(body === undefined ? {} : { body }), headers, status, env, state, at, omits };
}

/** The fixed moment and links the documented health+json examples carry (as in the OpenAPI document). */
const EXAMPLE_TIME = new Date('2026-11-25T12:00:00.000Z');
const EXAMPLE_LINKS = healthJsonLinks(undefined, '/api/v1/health');

/** The examples `npm run docs:examples` writes, by name: built by the code the service documents itself with. */
export function generatedExamples(): Record<string, unknown> {
  const definitions = shippedDefinitions();
  const reports = exampleReports(definitions, settingsFrom(HEALTH_SETTINGS, {}).version);
  const healthJson = (report: typeof reports.healthy) =>
    answerHealthJson(toHealthJson(report, definitions, EXAMPLE_TIME), { links: EXAMPLE_LINKS, shuttingDown: false });
  return {
    'report-healthy': reports.healthy,
    'report-degraded': reports.degraded,
    'report-unhealthy': reports.unhealthy,
    'health-json-healthy': healthJson(reports.healthy),
    ...(reports.degraded ? { 'health-json-degraded': healthJson(reports.degraded) } : {}),
    'replicas-check': exampleReports([replicasDefinition()], settingsFrom(HEALTH_SETTINGS, {}).version).healthy.checks
      .replicas,
    'plugins-diagnostics': DIAGNOSTICS_EXAMPLE,
    'plugins-detail': DETAIL_EXAMPLE,
    'notification-webhook': exampleBody('webhook'),
    'notification-slack': exampleBody('slack'),
    'notification-discord': exampleBody('discord'),
    'notification-ntfy': ntfyExampleRequest(),
    'cache-sentinel': cacheExample(SENTINEL_EXAMPLE_URL),
    'cache-cluster': cacheExample(CLUSTER_EXAMPLE_URL),
  };
}

/** REDIS_URLs of the documented topologies; the cache check declares its fields by the URL's mode. */
export const SENTINEL_EXAMPLE_URL = 'redis+sentinel://10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379/mymaster';
export const CLUSTER_EXAMPLE_URL = 'redis+cluster://10.0.0.5:7000,10.0.0.6:7001';

/** The healthy cache check with REDIS_URL=`url`, as the OpenAPI document of a service so configured shows it. */
export function cacheExample(url: string): unknown {
  const version = settingsFrom(HEALTH_SETTINGS, {}).version;
  return exampleReports(shippedDefinitions({ REDIS_URL: url }), version).healthy.checks.cache;
}

/**
 * A generated example as it goes into a block: JSON on one line, which Prettier (run after it by
 * `npm run docs:examples`) lays out, keeping each object that fits in its width on one line. A string (an HTTP
 * request, which Prettier leaves alone) goes in as it is, line by line.
 */
export function renderExample(value: unknown, indent = ''): string {
  if (typeof value === 'string')
    return `${value
      .split('\n')
      .map((line) => (line ? indent + line : line))
      .join('\n')}\n`;
  return `${indent}${JSON.stringify(value)}\n`;
}

/** A block's content as `renderExample` would compare it: its lines without the block's indentation. */
export function unindented(block: Block): string {
  return block.content
    .split('\n')
    .map((line) => (line.startsWith(block.indent) ? line.slice(block.indent.length) : line))
    .join('\n')
    .replace(/\n$/, '');
}

/**
 * Rewrites every `generated` block of `file` with its example; returns whether the file changed. Prettier, run
 * after it by `npm run docs:examples`, gives the JSON its final layout; the test compares values, not layout.
 */
export function writeGenerated(file: string): boolean {
  const path = join(ROOT, file);
  const text = readFileSync(path, 'utf8');
  const examples = generatedExamples();
  let out = '';
  let from = 0;
  for (const block of blocksOf(file, text)) {
    const name = block.mark === undefined ? undefined : parseMark(block.mark).generated;
    if (name === undefined) continue;
    if (!(name in examples)) throw new Error(`${file}:${block.line}: no generated example named ${name}`);
    out += text.slice(from, block.start) + renderExample(examples[name], block.indent);
    from = block.end;
  }
  if (from === 0) return false;
  writeFileSync(path, out + text.slice(from));
  return true;
}

/** JSON.parse without throwing. */
export function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Where an example's shape departs from a live answer: a key the answer lacks (invented or renamed), a key the
 * example lacks (unless `omits` names it), or another type. `null` on either side matches anything, since a live
 * answer in one state has `null` where the example shows a failure's text and the other way round. Arrays are
 * compared element by element against the live one at the same place (the last when the live array is shorter),
 * so tuples keep their order; an empty live array says nothing.
 */
export function shapeDifferences(example: unknown, live: unknown, omits: readonly string[] = [], path = ''): string[] {
  if (example === null || live === null) return [];
  if (kind(example) !== kind(live)) return [`${path || '(top)'}: ${kind(example)} in the example, ${kind(live)} live`];
  if (Array.isArray(example) && Array.isArray(live)) {
    if (live.length === 0) return [];
    return example.flatMap((item, i) =>
      shapeDifferences(item, live[Math.min(i, live.length - 1)], omits, `${path}[${i}]`),
    );
  }
  if (typeof example === 'object' && typeof live === 'object') {
    const a = example as Record<string, unknown>;
    const b = live as Record<string, unknown>;
    return [
      ...Object.keys(a)
        .filter((key) => !(key in b))
        .map((key) => `${path}.${key}: in the example, not in the live answer`),
      ...Object.keys(b)
        .filter((key) => !(key in a) && !omits.includes(key))
        .map((key) => `${path}.${key}: in the live answer, missing from the example`),
      ...Object.keys(a)
        .filter((key) => key in b)
        .flatMap((key) => shapeDifferences(a[key], b[key], omits, `${path}.${key}`)),
    ];
  }
  return [];
}
