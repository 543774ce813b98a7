/** Applicant-session HTTP API: create a session (lender side) and read one by its token. */
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';
import { ZCreateSessionBody } from '../protocol.ts';
import type { ViewBuilder } from '../views.ts';
import type { SessionService } from '../../session/index.ts';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

export function registerSessionRoutes(
  app: FastifyInstance,
  deps: { service: SessionService; views: ViewBuilder; apiKey: string | null },
): void {
  app.post('/api/sessions', async (request, reply) => {
    if (deps.apiKey !== null && !bearerMatches(request.headers.authorization, deps.apiKey)) {
      throw new AppError('unauthorized');
    }
    const parsed = ZCreateSessionBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'body';
      throw new AppError('bad_request', `${where}: ${issue?.message ?? 'invalid'}`);
    }
    const created = deps.service.create(parsed.data);
    return reply.code(201).send(created);
  });

  app.get<{ Params: { token: string } }>('/api/sessions/:token', async (request) => {
    const { token } = request.params;
    if (!TOKEN_SHAPE.test(token)) throw new AppError('session_not_found');
    const record = await deps.service.resolveToken(token);
    return deps.views.build(record.id);
  });
}

function bearerMatches(header: string | undefined, key: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
