import { createServer } from 'node:http';

/**
 * The practical ceiling of the benchmark: a bare `node:http` server answering every request with a precomputed
 * report. Nothing can answer a health probe faster on this machine; the service is measured as a fraction of it.
 */
const body = JSON.stringify({
  status: 'healthy',
  version: '1.0.0',
  uptime_seconds: 1,
  checks: {
    database: { status: 'ok', latency_ms: 1.2, detail: null },
    cache: { status: 'ok', latency_ms: 0.6, detail: null },
    plugins: { status: 'ok', total: 13, runnable: 2, latency_ms: 9.1, detail: null },
  },
});
const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
