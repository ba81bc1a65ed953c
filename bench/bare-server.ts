import { createServer } from 'node:http';

/**
 * The practical ceiling of the benchmark: a bare `node:http` server answering every request with a precomputed
 * report, given in `BARE_BODY` by the bench (`bare-body.ts`). Nothing answers a health probe faster on this machine,
 * and nothing starts faster: it loads no module of the service. The service is measured as a fraction of it.
 */
const body = process.env.BARE_BODY;
if (!body) throw new Error('BARE_BODY is not set: the bench passes the report to serve (see bench/bare-body.ts)');
const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
