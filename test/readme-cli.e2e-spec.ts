import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

const ROOT = join(__dirname, '..');

/** The shell lines of the README's "Command-line check" section that run the CLI, without their comments. */
function cliExamples(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Command-line check'), readme.indexOf('| option | default |'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
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

/** The README's CLI examples, run as written against a live service, never asking the npm registry. */
describe('README command-line examples', () => {
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
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).not.toMatch(/^\s*npx secuscan-health/m);
  });

  it.each(cliExamples())('%s', async (example) => {
    const { port } = new URL(service.url);
    const { code, output } = await sh(example, { PORT: port, HEALTH_URL: `${service.url}/api/v1/health` });
    expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/ok/) });
  });
});
