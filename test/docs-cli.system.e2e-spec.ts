import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

const ROOT = join(__dirname, '..');

/** The guide to the command-line check, where its examples stand. */
const GUIDE = join(ROOT, 'docs', 'cli.md');

/** The shell lines of the guide's first `sh` block (the ways to run the CLI), without their comments. */
function cliExamples(): string[] {
  const guide = readFileSync(GUIDE, 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+# .*$/, '').trim())
    .filter(Boolean);
}

function sh(command: string, env: Record<string, string>) {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.PORT;
  // npm must not reach the registry: with no route to it, a lookup fails instead of silently succeeding.
  const child = spawn('sh', ['-c', command], {
    cwd: ROOT,
    env: { ...inherited, npm_config_registry: 'http://127.0.0.1:9/', ...env },
    timeout: 20_000,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The CLI guide's examples, run as written against a live service, never asking the npm registry. */
describe('docs/cli.md command-line examples', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp(deps.env);
    await service.until('healthy');
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });

  it('lists examples, none through npx', () => {
    expect(cliExamples()).toHaveLength(5);
    for (const file of ['README.md', 'docs/cli.md', 'docs/plugins.md']) {
      expect(readFileSync(join(ROOT, file), 'utf8')).not.toMatch(/^\s*npx secuscan-health/m);
    }
  });

  it.each(cliExamples())('%s', async (example) => {
    const { port } = new URL(service.url);
    const { code, output } = await sh(example, { PORT: port, HEALTH_URL: `${service.url}/api/v1/health` });
    expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/ok/) });
  });
});
