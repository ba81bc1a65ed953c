import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { AppLogger } from '../src/logging/app-logger';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies, SHORT_TIMEOUTS } from './support/dependencies';
import { waitFor } from './support/wait';
import {
  ANSWER_LANGUAGES,
  Block,
  blocksOf,
  CliCheck,
  cliLayout,
  docFiles,
  generatedExamples,
  LiveCheck,
  parseMark,
  ROOT,
  shapeDifferences,
  tryParse,
  unindented,
  writeGenerated,
} from './support/docs-examples';

/**
 * Every example in the README and the guides is generated from the code or held to the live service, so none can
 * drift from what the service answers (see "Examples in the docs" in docs/development.md for the marks).
 * `DOCS_EXAMPLES=write` (what `npm run docs:examples` sets) rewrites the generated blocks before checking them.
 */

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const FILES = docFiles();
const blocks = (): Block[] => FILES.flatMap((file) => blocksOf(file, read(file)));
const where = (block: Block) => `${block.file}:${block.line}`;
const marked = (block: Block) => (block.mark === undefined ? {} : parseMark(block.mark));

describe('examples in the README and the guides', () => {
  it('mark every block that shows an answer, and give every block a language', () => {
    const problems: string[] = [];
    for (const block of blocks()) {
      if (!block.language) problems.push(`${where(block)}: a fenced block without a language`);
      if (ANSWER_LANGUAGES.has(block.language) && block.mark === undefined) {
        problems.push(`${where(block)}: a ${block.language} block without an <!-- example: … --> mark`);
      }
      if (block.mark === undefined) continue;
      try {
        const mark = parseMark(block.mark);
        if (!mark.generated && !mark.live && !mark.cli && !mark.log && !mark.illustrative) {
          problems.push(`${where(block)}: the mark says nothing`);
        }
      } catch (error) {
        problems.push(`${where(block)}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are what npm run docs:examples writes', () => {
    if (process.env.DOCS_EXAMPLES === 'write') FILES.forEach(writeGenerated);
    const examples = generatedExamples();
    const generated = blocks().filter((block) => marked(block).generated);
    expect(generated.length).toBeGreaterThanOrEqual(7);
    for (const block of generated) {
      const name = marked(block).generated ?? '';
      if (typeof examples[name] === 'string') {
        // An HTTP request, written as text: held to the text itself.
        expect({ at: where(block), name, text: unindented(block) }).toEqual({
          at: where(block),
          name,
          text: examples[name],
        });
        continue;
      }
      const committed = tryParse(block.content);
      expect({ at: where(block), name, value: committed.ok ? committed.value : committed.error }).toEqual({
        at: where(block),
        name,
        value: JSON.parse(JSON.stringify(examples[name] ?? null)),
      });
    }
  });

  it('print json log lines exactly as the service logger writes them', () => {
    const lines = blocks()
      .filter((block) => marked(block).log)
      .flatMap((block) => block.content.split('\n').map((line) => ({ at: where(block), line: line.trim() })))
      .filter(({ line }) => line);
    expect(lines.length).toBeGreaterThan(0);
    for (const { at, line } of lines) {
      const { time, level, context, ...fields } = JSON.parse(line) as Record<string, string>;
      const written: string[] = [];
      const capture = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
      try {
        const logger = new AppLogger('json', false);
        const call = { message: fields.message, ...fields };
        if (level === 'log') logger.log(call, context);
        else if (level === 'warn') logger.warn(call, context);
        else if (level === 'error') logger.error(call, context);
        else throw new Error(`${at}: unknown level ${level}`);
      } finally {
        stdout.mockRestore();
        stderr.mockRestore();
      }
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect({ at, line: written.join('').replace(/"time":"[^"]*"/, `"time":"${time}"`) }).toEqual({
        at,
        line: `${line}\n`,
      });
    }
  });

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of FILES) {
      const text = read(file).replace(/^( *)```[\s\S]*?^\1```/gm, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const linked = path ? normalize(join(dirname(file), path)) : file;
        if (!existsSync(join(ROOT, linked))) broken.push(`${file}: ${target} (no ${linked})`);
        else if (anchor && linked.endsWith('.md') && !anchorsOf(read(linked)).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${linked})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('keep the README an entrance, with the marks the bench scripts and the settings table write between', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(250);
    const performance = read('docs/performance.md');
    for (const name of ['bench', 'status-bench', 'startup', 'notify-bench']) {
      expect(performance).toContain(`<!-- ${name}:start -->`);
      expect(performance).toContain(`<!-- ${name}:end -->`);
    }
    expect(read('docs/configuration.md')).toMatch(/<!-- config:start -->[\s\S]*\| `PORT`[\s\S]*<!-- config:end -->/);
  });
});

/** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of text.replace(/^( *)```[\s\S]*?^\1```/gm, '').matchAll(/^#{1,6} +(.+)$/gm)) {
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}

/** The example JSON of a block: one value, or one per line (a list of answers). */
function exampleValues(block: Block): unknown[] {
  const whole = tryParse(block.content);
  if (whole.ok) return [whole.value];
  return block.content
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

/** Server-sent events as written: blocks of `field: value` lines, a comment (`: …`) under the name `comment`. */
function events(text: string): Array<Record<string, string>> {
  const field = (line: string): [string, string] => {
    if (line.startsWith(':')) return ['comment', line.slice(1).trim()];
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
  };
  return text
    .split(/\n\n+/)
    .map((chunk): Record<string, string> => Object.fromEntries(chunk.split('\n').filter(Boolean).map(field)))
    .filter((event) => Object.keys(event).length > 0);
}

/** What `$HEALTH_TOKEN` stands for in the guides' curl lines. */
const CURL_TOKEN = 'a-token-the-curl-lines-send-0123';

describe('examples held to the live service', () => {
  const STATES = { healthy: 0, degraded: 1, unhealthy: 2 };
  const envKey = (env: Record<string, string>) => JSON.stringify(Object.entries(env).sort());
  const live = blocks()
    .map((block) => ({ block, check: marked(block).live }))
    .filter((entry): entry is { block: Block; check: LiveCheck } => entry.check !== undefined)
    .sort(
      (a, b) => envKey(a.check.env).localeCompare(envKey(b.check.env)) || STATES[a.check.state] - STATES[b.check.state],
    );
  const curls = blocks()
    .filter((block) => block.language === 'sh')
    .flatMap((block) =>
      block.content
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('curl '))
        .map((line) => ({ at: where(block), line })),
    );
  const started = new Map<string, { deps: ProxiedDependencies; app: RunningApp }>();

  async function serviceIn(env: Record<string, string>, state: LiveCheck['state']): Promise<RunningApp> {
    let entry = started.get(envKey(env));
    if (!entry) {
      const deps = await proxyDependencies();
      entry = { deps, app: await startApp({ ...deps.env, ...SHORT_TIMEOUTS, ...env }) };
      started.set(envKey(env), entry);
    }
    await entry.deps.db.setMode(state === 'unhealthy' ? 'refuse' : 'pass');
    await entry.deps.cache.setMode(state === 'degraded' ? 'refuse' : 'pass');
    const app = entry.app;
    // The examples show an outage once settled: a connection the cut closed is first reported as such (Redis's
    // "the connection is not open"), and then by the refusals of the reconnects, as the guides show them. A
    // status-only report (HEALTH_DETAILS=never) has no detail to wait for.
    await waitFor(
      async () => {
        const { body } = await app.until(state);
        const checks = Object.values(body.checks as Record<string, { status: string; detail?: string | null }>);
        return checks.every(
          (check) =>
            check.status !== 'error' || typeof check.detail !== 'string' || check.detail.includes('ECONNREFUSED'),
        );
      },
      { what: `a settled ${state} report, its failures refused connections` },
    );
    return app;
  }

  afterAll(async () => {
    for (const { deps, app } of started.values()) {
      await app.close();
      await deps.close();
    }
  });

  it('finds the examples and curl lines the guides show', () => {
    expect(live.length).toBeGreaterThanOrEqual(10);
    expect(curls.length).toBeGreaterThanOrEqual(10);
  });

  it.each(live.map(({ block, check }) => [`${where(block)} ${block.mark ?? ''}`, block, check] as const))(
    '%s',
    async (_title, block, check) => {
      const service = await serviceIn(check.env, check.state);
      let path = check.path;
      if (path.includes(':id')) {
        const list = (await (await fetch(`${service.url}/api/v1/health/plugins`)).json()) as {
          plugins: Array<{ id: string }>;
        };
        path = path.replace(':id', list.plugins[0].id);
      }
      const controller = new AbortController();
      const response = await fetch(`${service.url}${path}`, {
        method: check.method,
        headers: check.body === undefined ? check.headers : { 'content-type': 'application/json', ...check.headers },
        body: check.body,
        signal: controller.signal,
      });
      if (check.status !== undefined) expect(response.status).toBe(check.status);
      else expect(response.status).toBe(check.state === 'unhealthy' ? 503 : 200);

      if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        let text = '';
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        // The latest evaluation comes at once; a `series` event with the next live one (the stream's own refresh
        // loop evaluates while anyone listens).
        while (!/\nevent: evaluation\ndata: [^\n]*\n\n/.test(text) || !/\nevent: series\ndata: [^\n]*\n\n/.test(text)) {
          const { done, value } = await reader.read();
          if (done) throw new Error(`the stream ended before an evaluation and a series event: ${text}`);
          text += value;
        }
        controller.abort();
        const liveEvents = events(text);
        const history = (await (await fetch(`${service.url}/api/v1/health/history`)).json()) as {
          transitions: unknown[];
        };
        const liveData: Record<string, unknown> = {
          evaluation: JSON.parse(liveEvents.find((event) => event.event === 'evaluation')?.data ?? 'null'),
          series: JSON.parse(liveEvents.find((event) => event.event === 'series')?.data ?? 'null'),
          transition: history.transitions[0],
        };
        // Sent only to a client that resumes with an id it cannot replay from (the example's Last-Event-ID).
        const reset = liveEvents.find((event) => event.event === 'reset');
        if (reset) liveData.reset = JSON.parse(reset.data);
        const documented = events(block.content);
        expect(documented[0]).toEqual(liveEvents[0]); // retry: the reconnection delay
        for (const event of documented.slice(1)) {
          if (event.comment !== undefined) {
            expect(event).toEqual({ comment: 'heartbeat' });
            continue;
          }
          expect(Object.keys(event)).toEqual(['id', 'event', 'data']);
          expect(Object.keys(liveData)).toContain(event.event);
          expect(shapeDifferences(JSON.parse(event.data), liveData[event.event])).toEqual([]);
        }
        return;
      }

      let answer: unknown = await response.json();
      for (const key of check.at) answer = (answer as Record<string, unknown>)[key];
      expect(answer).toBeDefined();
      for (const value of exampleValues(block)) expect(shapeDifferences(value, answer, check.omits)).toEqual([]);
    },
  );

  const cliBlocks = blocks()
    .map((block) => ({ block, check: marked(block).cli }))
    .filter((entry): entry is { block: Block; check: CliCheck } => entry.check !== undefined);

  it.each(cliBlocks.map(({ block, check }) => [`${where(block)} ${block.mark ?? ''}`, block, check] as const))(
    '%s (the built CLI)',
    async (_title, block, check) => {
      const service = await serviceIn({}, check.state);
      const cli = join(ROOT, 'dist', 'cli', 'health-cli.js');
      const args = [cli, '--url', `${service.url}/api/v1/health`, ...check.args];
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, args, { env: { PATH: process.env.PATH } }, (error, out) =>
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout: out }),
        );
      });
      if (check.exitCode !== undefined) expect(code).toBe(check.exitCode);
      const documented = cliLayout(block.content);
      const printed = cliLayout(stdout);
      // The same header and columns, and a row for each check, in the same words but the numbers.
      expect(printed.slice(0, 2)).toEqual(documented.slice(0, 2));
      for (const key of ['database', 'cache', 'plugins']) {
        const row = documented.find((line) => line.startsWith(`${key} `));
        expect(row).toBeDefined();
        expect(printed.find((line) => line.startsWith(`${key} `))).toBe(row);
      }
    },
  );

  it('list routes that answer 200 on a healthy service (README and api.md tables)', async () => {
    const service = await serviceIn({}, 'healthy');
    const plugins = (await (await fetch(`${service.url}/api/v1/health/plugins`)).json()) as {
      plugins: Array<{ id: string }>;
    };
    const routes = new Set<string>();
    for (const file of ['README.md', 'docs/api.md']) {
      for (const [row] of read(file).matchAll(/^\| `GET \/.*$/gm)) {
        const cell = row.split('|')[1];
        for (const [, path] of cell.matchAll(/`(?:GET )?(\/[^`\s]*)`/g)) routes.add(path);
      }
    }
    expect(routes.size).toBeGreaterThanOrEqual(10);
    const answers: Record<string, number> = {};
    for (const route of routes) {
      const controller = new AbortController();
      const path = route.replace(':id', plugins.plugins[0].id);
      answers[route] = (await fetch(`${service.url}${path}`, { signal: controller.signal })).status;
      controller.abort();
    }
    expect(answers).toEqual(Object.fromEntries([...routes].map((route) => [route, 200])));
  });

  it("name every metric of the service, with its type and labels, in operations.md's table", async () => {
    // With a notification target, so the notification counter is among them (it never sends: the state holds).
    const service = await serviceIn({ HEALTH_NOTIFY_URLS: 'http://127.0.0.1:9/hook' }, 'healthy');
    const text = await (await fetch(`${service.url}/api/v1/metrics`)).text();
    const documented: Record<string, { type: string; labels: string[] }> = {};
    for (const [, name, labels, type] of read('docs/operations.md').matchAll(
      /^\| `(secuscan_health_\w+)(?:\{([\w,]+)\})?` +\| (\w+) +\|/gm,
    )) {
      documented[name] = { type, labels: (labels ?? '').split(',').filter(Boolean).sort() };
    }
    const live: Record<string, { type: string; labels: string[] }> = {};
    for (const [, name, type] of text.matchAll(/^# TYPE (secuscan_health_\w+) (\w+)$/gm)) {
      const labels = new Set<string>();
      const series = [...text.matchAll(new RegExp(`^${name}(?:_bucket|_count|_sum)?\\{([^}]*)\\}`, 'gm'))];
      for (const [, list] of series) {
        for (const [, label] of list.matchAll(/(\w+)="/g)) if (label !== 'le') labels.add(label);
      }
      // A metric with no series here (the item metrics: no check of this app lists items) shows no labels to hold
      // the table to; test/replicated-postgres.system.e2e-spec.ts sees them with a replica.
      live[name] = { type, labels: series.length ? [...labels].sort() : (documented[name]?.labels ?? []) };
    }
    expect(Object.keys(live).length).toBeGreaterThanOrEqual(7);
    expect(documented).toEqual(live);
  });

  it.each(curls.map(({ at, line }) => [`${at} ${line}`, line] as const))('%s answers 200', async (_title, line) => {
    // A line that sends the token is asked of a service that has one (maintenance windows need it whatever
    // HEALTH_DETAILS says); under the default `always`, the details routes answer it as they answer anyone.
    const service = await serviceIn(line.includes('$HEALTH_TOKEN') ? { HEALTH_TOKEN: CURL_TOKEN } : {}, 'healthy');
    const url = /https?:\/\/[^\s'"]+/.exec(line)?.[0];
    expect(url).toBeDefined();
    const headers = Object.fromEntries(
      [...line.matchAll(/-H (['"])([^:]+):\s*(.*?)\1/g)].map(([, , name, value]) => [
        name,
        value.replace('$HEALTH_TOKEN', CURL_TOKEN),
      ]),
    );
    // `-X POST -d '{...}'` as curl sends it: the method, and the body (JSON with a `-H 'Content-Type: …'`).
    const method = /-X (\w+)/.exec(line)?.[1] ?? 'GET';
    const body = /(?:-d|--data) '([^']*)'/.exec(line)?.[1];
    const { pathname, search } = new URL(url!);
    const controller = new AbortController();
    const response = await fetch(`${service.url}${pathname}${search}`, {
      method,
      headers,
      body,
      signal: controller.signal,
    });
    controller.abort();
    expect(response.status).toBe(200);
  });
});
