import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NotAcceptableDto } from './not-acceptable.dto';
import { sendJson } from './send-json';

/**
 * Answers 406 for a request whose Accept header refuses every type in `offered` (see `negotiate`). The body is
 * JSON whatever the header says: there is nothing else to send, and a person reading it learns what to ask for.
 * Sent as bytes so Fastify adds no `charset` to a type that defines none.
 */
export async function sendNotAcceptable(reply: FastifyReply, offered: readonly string[]): Promise<void> {
  const body: NotAcceptableDto = {
    statusCode: 406,
    error: 'Not Acceptable',
    message: `the Accept header refuses every representation of this resource: ${offered.join(', ')}`,
  };
  await sendJson(reply, 406, body, { vary: 'Accept' });
}

/** Documents the 406 of a negotiated route that offers `offered`. */
export function ApiNotAcceptable(offered: readonly string[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(NotAcceptableDto),
    ApiResponse({
      status: 406,
      description:
        `Not Acceptable: the Accept header refuses every representation (${offered.join(', ')}) with \`q=0\`. ` +
        'An Accept header that merely names other types gets the default representation instead',
      content: { 'application/json': { schema: { $ref: getSchemaPath(NotAcceptableDto) } } },
    }),
  );
}
