import type { FastifyReply } from 'fastify';

/**
 * Sends `value` as a JSON answer that no cache keeps. As bytes, so Fastify keeps the content type exactly as set:
 * given a string it would add a `charset`, which JSON types do not define.
 */
export async function sendJson(
  reply: FastifyReply,
  code: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  await reply
    .code(code)
    .headers({ 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
    .send(Buffer.from(JSON.stringify(value)));
}
