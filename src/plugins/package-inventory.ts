import { execFile } from 'node:child_process';
import { homedir } from 'node:os';

/**
 * What one package check found: the installed names (normalised), or why nothing can be said. A tool that is not
 * installed at all is `checked` with nothing installed when its absence means the packages are missing (no
 * `python3`), and `unverified` when it only means nobody can tell (no `dpkg-query` outside Debian).
 */
export type PackageInventory =
  | { readonly state: 'checked'; readonly installed: ReadonlySet<string> }
  | { readonly state: 'unverified'; readonly reason: string };

/** The one subprocess and its limits. */
export interface InventoryOptions {
  /** The `PATH` the subprocess sees (the service's own, from `AppConfig.binaryPath`). */
  readonly path: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

// The distributions installed for this interpreter, PEP 503-normalised, as one JSON array. `importlib.metadata` is in
// the standard library from Python 3.8 on; a distribution without a name is broken and skipped.
const PYTHON_SCRIPT = [
  'import importlib.metadata as m, json, re',
  'names = {re.sub(r"[-_.]+", "-", n).lower() for n in (d.metadata["Name"] for d in m.distributions()) if n}',
  'print(json.dumps(sorted(names)))',
].join('\n');

/** Output larger than this is not an inventory; a real one is tens of kilobytes. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** A Python distribution name as PEP 503 compares it: case-insensitive, runs of `-`, `_` and `.` alike. */
export function normalizeDistribution(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/**
 * The distributions installed for `python3` (the executable found on PATH, run as found so a venv counts as that
 * venv), in one short subprocess. `python3` undefined (not on PATH) means nothing is installed.
 */
export async function pythonDistributions(
  python3: string | undefined,
  options: InventoryOptions,
): Promise<PackageInventory> {
  if (!python3) return { state: 'checked', installed: new Set() };
  const output = await run(python3, ['-c', PYTHON_SCRIPT], options);
  if (!output.ok) return { state: 'unverified', reason: `python3 could not list its packages: ${output.reason}` };
  try {
    const names: unknown = JSON.parse(output.stdout);
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) throw new Error('not a list');
    return { state: 'checked', installed: new Set(names.map(normalizeDistribution)) };
  } catch {
    return { state: 'unverified', reason: 'python3 answered something other than a list of packages' };
  }
}

/**
 * The Debian packages installed (`ii` in dpkg's database), by one `dpkg-query`; `unverified` where there is no
 * `dpkg-query` on PATH.
 */
export async function debianPackages(
  dpkgQuery: string | undefined,
  options: InventoryOptions,
): Promise<PackageInventory> {
  if (!dpkgQuery) return { state: 'unverified', reason: 'dpkg-query is not on PATH (not a Debian-based system)' };
  const output = await run(dpkgQuery, ['-W', '-f', '${Package}\\t${db:Status-Abbrev}\\n'], options);
  if (!output.ok) return { state: 'unverified', reason: `dpkg-query failed: ${output.reason}` };
  const installed = new Set<string>();
  for (const line of output.stdout.split('\n')) {
    const [name, status] = line.split('\t');
    if (name && status?.startsWith('ii')) installed.add(name.toLowerCase());
  }
  return { state: 'checked', installed };
}

type RunResult = { ok: true; stdout: string } | { ok: false; reason: string };

function run(file: string, args: string[], { path, timeoutMs, signal }: InventoryOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        // Only what a package listing needs: PATH (pyenv shims and venvs resolve through it) and HOME (user site).
        env: { PATH: path, HOME: homedir(), LC_ALL: 'C.UTF-8' },
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        signal,
        windowsHide: true,
      },
      (error, stdout) => {
        if (!error) return resolve({ ok: true, stdout });
        const killed = (error as { killed?: boolean }).killed;
        const code = (error as { code?: unknown }).code;
        if (signal?.aborted) return resolve({ ok: false, reason: 'stopped' });
        if (killed) return resolve({ ok: false, reason: `timed out after ${timeoutMs} ms` });
        resolve({
          ok: false,
          reason: typeof code === 'number' ? `exit code ${code}` : typeof code === 'string' ? code : 'failed',
        });
      },
    );
  });
}
