// One line per plugin that GET URL (the service's /api/v1/health/plugins) lists, `<id> <state>`, sorted by id, so the
// container test can hold what the service reports against what plugin-needs.mjs finds in the image. Prints
// `unreachable <reason>` and exits 1 when there is no such answer within 2 s.
const [url] = process.argv.slice(2);
try {
  const answer = await fetch(url, { signal: AbortSignal.timeout(2000) });
  const body = await answer.json();
  for (const plugin of [...(body.plugins ?? [])].sort((a, b) => String(a.id).localeCompare(String(b.id)))) {
    console.log(`${plugin.id} ${plugin.state}`);
  }
} catch (error) {
  console.log(`unreachable ${error.cause?.code ?? error.name}`);
  process.exitCode = 1;
}
