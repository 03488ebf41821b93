import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../kernel/schemas.js';

/** The response schemas of an iCalendar feed route. */
export const IcsResponse = {
  200: Type.String({ description: 'text/calendar (RFC 5545)' }),
  ...errorResponses(400, 401, 403, 404),
};

/** Sends a rendered feed as a private, briefly cacheable `.ics` attachment. */
export function sendIcs(reply: FastifyReply, body: string, file: string) {
  reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file}.ics"`)
    .header('cache-control', 'private, max-age=300');
  return body;
}
