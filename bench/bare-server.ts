import { createServer } from 'node:http';
import { exampleReports } from '../src/health/health-examples';
import { shippedDefinitions } from '../test/support/shipped-checks';

/**
 * The practical ceiling of the benchmark: a bare `node:http` server answering every request with a precomputed
 * report (the documented healthy example, the size of a real one). Nothing answers a health probe faster on this
 * machine; the service is measured as a fraction of it.
 */
// APP_VERSION set: the compiled bench has no package.json beside it to read a version from.
const body = JSON.stringify(exampleReports(shippedDefinitions({ APP_VERSION: '1.0.0' }), '1.0.0').healthy);
const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
