import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { sendJson } from './send-json';

/** The body of a 400: a request the route cannot read, with what is wrong in it. */
export class BadRequestDto {
  @ApiProperty({ example: 400 })
  statusCode!: 400;

  @ApiProperty({ example: 'Bad Request' })
  error!: 'Bad Request';

  @ApiProperty({ example: 'limit must be one whole number from 1 to 1000', description: 'What to change' })
  message!: string;
}

/** Answers 400 with `message`, one line saying what to change. */
export async function sendBadRequest(reply: FastifyReply, message: string): Promise<void> {
  const body: BadRequestDto = { statusCode: 400, error: 'Bad Request', message };
  await sendJson(reply, 400, body);
}

/** Documents the 400 of a route whose query or headers can be refused, with `description` saying when. */
export function ApiBadRequest(description: string): MethodDecorator {
  return ApiResponse({ status: 400, description, type: BadRequestDto });
}
