/**
 * The review console's API, for staff with the reviewer or admin role (the guard is
 * requireStaff('reviewer', 'admin'); POSTs also need the CSRF header):
 * - GET  /api/review/filters                           what the queue can filter by
 * - GET  /api/review/sessions?status&decision&flags&script&product&from&to&reference&limit&after
 * - GET  /api/review/sessions/:id                      the session detail (logged: session.view)
 * - GET  /api/review/sessions/:id/chapters.vtt         WebVTT chapters for the player
 * - GET  /api/review/sessions/:id/verification         the contract record's checks (logged)
 * - GET  /api/review/sessions/:id/artifacts/:artifactId  bytes, with HTTP Range (logged when a read starts at byte 0)
 * - POST /api/review/sessions/:id/decisions {decision, note}  (chain event + access log, one transaction)
 * - GET  /api/review/sessions/:id/bundle.zip           the evidence bundle (logged: session.export)
 * Every answer carries `Server-Timing: app;dur=<ms>` (time in the server to the first byte).
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { bundleFileName, writeBundle } from '../../review/bundle.ts';
import { REVIEW_DECISIONS, REVIEW_FLAGS } from '../../review/flags.ts';
import { parseRange } from '../../review/range.ts';
import { ReviewError, type ReviewService } from '../../review/service.ts';
import { ZDecisionBody, ZQueueQuery } from '../../review/types.ts';
import { requireStaff, staffOf } from '../../staff/index.ts';
import type { Store } from '../../store/index.ts';
import { AppError } from '../errors.ts';

export interface ReviewRouteDeps {
  review: ReviewService;
  store: Store;
  /** Products and scripts, for the filter lists. */
  products: () => string[];
  scripts: () => string[];
  now?: () => Date;
}

const STATUSES = ['completed', 'review', 'declined', 'interrupted', 'expired', 'active', 'created'];

export function registerReviewRoutes(app: FastifyInstance, deps: ReviewRouteDeps): void {
  const now = deps.now ?? (() => new Date());
  app.register(async (scope) => {
    const started = new WeakMap<FastifyRequest, bigint>();
    scope.addHook('onRequest', async (request) => {
      started.set(request, process.hrtime.bigint());
    });
    scope.addHook('preHandler', requireStaff('reviewer', 'admin'));
    scope.addHook('onSend', async (request, reply) => {
      // Personal data: never cached by a browser or a proxy.
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-store');
      // Time spent in the server up to the first byte (what bench:review reports).
      const start = started.get(request);
      if (start !== undefined) reply.header('server-timing', `app;dur=${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(2)}`);
    });
    scope.setErrorHandler((error, _request, reply) => {
      const mapped = error instanceof ReviewError ? toAppError(error) : error;
      if (mapped instanceof AppError) return reply.code(mapped.status).send({ error: mapped.toJSON() });
      throw error; // the app's handler maps the rest
    });

    scope.get('/api/review/filters', async () => ({
      statuses: STATUSES,
      decisions: [...REVIEW_DECISIONS, 'none'],
      flags: REVIEW_FLAGS,
      scripts: deps.scripts(),
      products: deps.products(),
    }));

    scope.get('/api/review/sessions', async (request) => deps.review.queue(parse(ZQueueQuery, request.query ?? {}, 'query')));

    scope.get<{ Params: { id: string } }>('/api/review/sessions/:id', async (request) => deps.review.detail(request.params.id, staffOf(request)));

    scope.get<{ Params: { id: string } }>('/api/review/sessions/:id/chapters.vtt', async (request, reply) =>
      reply.type('text/vtt; charset=utf-8').send(deps.review.chapters(request.params.id)),
    );

    scope.get<{ Params: { id: string } }>('/api/review/sessions/:id/verification', async (request) => {
      const result = await deps.review.verification(request.params.id, staffOf(request));
      return result ?? { recordId: null, ok: null, checks: [], notChecked: [], note: 'No sealed contract in this session.' };
    });

    scope.get<{ Params: { id: string; artifactId: string } }>('/api/review/sessions/:id/artifacts/:artifactId', async (request, reply) =>
      sendArtifact(deps, request, reply),
    );

    scope.post<{ Params: { id: string } }>('/api/review/sessions/:id/decisions', async (request, reply) => {
      const body = parse(ZDecisionBody, request.body ?? {}, 'body');
      return reply.code(201).send(deps.review.decide(request.params.id, staffOf(request), body));
    });

    scope.get<{ Params: { id: string } }>('/api/review/sessions/:id/bundle.zip', async (request, reply) => {
      const staff = staffOf(request);
      const record = deps.review.find(request.params.id);
      // The export is logged (with the detail view it contains) before any byte leaves.
      const detail = deps.review.detail(record.id, staff);
      const verification = await deps.review.verification(record.id, null);
      deps.review.logExport(staff, record.id);
      const chunks = writeBundle(
        { store: deps.store, detail, verification, exportedBy: { id: staff.id, email: staff.email }, now: now() },
        deps.store.artifacts.list(record.id),
      );
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${bundleFileName(detail)}"`)
        .send(Readable.from(chunks));
    });
  });
}

async function sendArtifact(
  deps: ReviewRouteDeps,
  request: FastifyRequest<{ Params: { id: string; artifactId: string } }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const artifact = deps.review.artifact(request.params.id, request.params.artifactId);
  const range = parseRange(request.headers.range, artifact.size);
  reply.header('accept-ranges', 'bytes');
  if (range.kind === 'unsatisfiable') {
    const error = new AppError('range_not_satisfiable');
    return reply.code(error.status).header('content-range', `bytes */${artifact.size}`).send({ error: error.toJSON() });
  }
  reply.header('content-type', artifact.mime).header('etag', `"${artifact.sha256}"`);
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : artifact.size - 1;
  if (start === 0) deps.review.logArtifactAccess(staffOf(request), artifact);
  if (range.kind === 'partial') reply.code(206).header('content-range', `bytes ${start}-${end}/${artifact.size}`);
  reply.header('content-length', String(Math.max(0, end - start + 1)));
  if (artifact.size === 0) return reply.send(Buffer.alloc(0));
  const file = deps.store.blobs.localPath(artifact.blobKey);
  if (file) return reply.send(fs.createReadStream(file, { start, end }));
  const bytes = await deps.store.blobs.get(artifact.blobKey);
  if (!bytes) throw new AppError('not_found', 'The file is missing from storage.');
  return reply.send(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start + 1));
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : where;
  const message = issue?.message ?? 'invalid';
  throw new AppError('bad_request', message.startsWith(`${path}:`) ? message : `${path}: ${message}`);
}

function toAppError(error: ReviewError): AppError {
  switch (error.code) {
    case 'not_found':
      return new AppError('not_found', error.message);
    case 'not_finished':
      return new AppError('review_not_finished', error.message);
    case 'bad_cursor':
      return new AppError('bad_request', error.message);
  }
}
