/**
 * The process's own handling of SIGTERM and SIGINT, around Nest's. `main.ts` installs it first, before Nest
 * and the drivers load, so a signal during boot already finds a listener: nothing is served yet, so the process
 * exits 0 at once instead of dying by the signal. Once the app has started, Nest's shutdown hooks run the graceful
 * path on the first signal (readiness 503, drain, close, exit 0) and ignore a second one; an operator who sends a
 * second wants out now, so this exits at once. A watchdog bounds the whole shutdown in case a close never returns.
 */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

let closeBudgetMs: number | undefined;
let received = 0;

function say(line: string): void {
  process.stderr.write(`secuscan-health: ${line}\n`);
}

function onSignal(signal: NodeJS.Signals): void {
  received++;
  if (closeBudgetMs === undefined) {
    say(`${signal} received while starting: exiting`);
    process.exit(0);
  }
  if (received === 1) {
    const budget = closeBudgetMs;
    setTimeout(() => {
      say(`shutdown did not finish in ${budget} ms: exiting`);
      process.exit(1);
    }, budget).unref();
    return;
  }
  say(`second ${signal}: exiting now without draining`);
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}

/** Listens for the shutdown signals; `main.ts` calls this before it loads anything else. */
export function installSignalHandlers(): void {
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}

/** From now on a signal means a graceful shutdown that must finish within `budgetMs`. */
export function markStarted(budgetMs: number): void {
  closeBudgetMs = budgetMs;
}
