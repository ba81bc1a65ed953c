// One line about GET URL for the container test:
// `<http code> <status> database=<s> cache=<s> plugins=<s> <runnable>/<total> runnable, <blocked> blocked`,
// or `unreachable <reason>` (exit 1). A 2 s timeout keeps every poll bounded.
const [url] = process.argv.slice(2);
try {
  const answer = await fetch(url, { signal: AbortSignal.timeout(2000) });
  const body = await answer.json();
  const checks = body.checks ?? {};
  const plugins = checks.plugins ?? {};
  console.log(
    `${answer.status} ${body.status} database=${checks.database?.status} cache=${checks.cache?.status}` +
      ` plugins=${plugins.status} ${plugins.runnable}/${plugins.total} runnable, ${plugins.blocked} blocked`,
  );
} catch (error) {
  console.log(`unreachable ${error.cause?.code ?? error.name}`);
  process.exitCode = 1;
}
