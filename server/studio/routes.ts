/**
 * Script studio HTTP API (roles script_editor or admin; CSRF on writes, by requireStaff):
 *   GET  /api/studio/rules                                  -> {rules:[{id, severity, description}]}
 *   GET  /api/studio/scripts                                -> {scripts:[{scriptId, title, current, draft}]}
 *   GET  /api/studio/scripts/:id/versions                   -> {versions:[...newest first]}
 *   GET  /api/studio/scripts/:id/versions/:version          -> {source, publication, draft, lint} (:version = n | draft)
 *   GET  /api/studio/scripts/:id/versions/:version/export   -> the YAML as a download
 *   PUT  /api/studio/scripts/:id/draft {source}             -> {draft, lint}
 *   POST /api/studio/scripts/:id/publish {source?}          -> 201 {publication} | 422 {error, lint}
 *   POST /api/studio/scripts/:id/rollback {version}         -> 201 {publication}
 *   GET  /api/studio/scripts/:id/diff?from=&to=             -> {added, removed, lines, unified}
 *   POST /api/studio/lint {source}                          -> {lint}
 *   POST /api/studio/import {source}                        -> {scriptId, draft, lint}
 *   POST /api/studio/simulate {source, locale?, actions}    -> the simulation | 422 {error, lint}
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ScriptError } from '../dialogue/index.ts';
import { AppError } from '../http/errors.ts';
import { requireStaff, staffOf } from '../staff/index.ts';
import { RULES } from './lint/index.ts';
import { StudioError, type ScriptStudio } from './service.ts';
import { ZSimulationRequest } from './simulate.ts';

/** Largest script source accepted (the shipped scripts are ~15 KB). */
export const MAX_SCRIPT_BYTES = 200_000;
const BODY_LIMIT = 2 * MAX_SCRIPT_BYTES + 64 * 1024;

const ZSource = z.string({ error: 'source: expected the script YAML as text' }).min(1, { error: 'source: the script is empty' }).max(MAX_SCRIPT_BYTES, {
  error: `source: at most ${MAX_SCRIPT_BYTES} characters`,
});
const ZScriptIdParam = z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, { error: 'id: expected a script id' }) });
const ZVersion = z.union([z.literal('draft'), z.coerce.number().int().min(1).max(1_000_000)], { error: "expected a version number or 'draft'" });
const ZVersionParams = ZScriptIdParam.extend({ version: ZVersion });
const ZSourceBody = z.strictObject({ source: ZSource });
const ZPublishBody = z.strictObject({ source: ZSource.optional() });
const ZRollbackBody = z.strictObject({ version: z.int({ error: 'version: expected a version number' }).min(1) });
const ZDiffQuery = z.strictObject({ from: ZVersion, to: ZVersion });
const ZSimulateBody = ZSimulationRequest.extend({ source: ZSource });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request', `${where}${issue?.message ?? 'invalid request'}`.replace(/^(\w+): \1: /, '$1: '));
  }
  return result.data;
}

const STATUS: Record<StudioError['code'], number> = { not_found: 404, lint_failed: 422, script_id_mismatch: 400, invalid_script: 422, admin_required: 403 };

function sendStudioError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof StudioError) {
    return reply.code(STATUS[error.code]).send({ error: { code: error.code, message: error.message, retryable: false }, ...(error.lint ? { lint: error.lint } : {}) });
  }
  throw error;
}

export function registerStudioRoutes(app: FastifyInstance, studio: ScriptStudio): void {
  const guard = { preHandler: requireStaff('script_editor', 'admin') };
  const write = { ...guard, bodyLimit: BODY_LIMIT };

  app.get('/api/studio/rules', guard, async () => ({
    rules: [
      { id: 'schema', severity: 'error', description: 'the script loads with the same schema the server uses' },
      ...RULES.map((rule) => ({ id: rule.id, severity: rule.severity, description: rule.description })),
    ],
  }));

  app.get('/api/studio/scripts', guard, async () => ({ scripts: studio.list() }));

  app.get('/api/studio/scripts/:id/versions', guard, async (request, reply) => {
    const { id } = parse(ZScriptIdParam, request.params);
    try {
      return { versions: studio.versions(id) };
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.get('/api/studio/scripts/:id/versions/:version', guard, async (request, reply) => {
    const { id, version } = parse(ZVersionParams, request.params);
    try {
      const found = studio.source(id, version);
      return { scriptId: id, version, ...found, lint: studio.lint(found.source, id).report };
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.get('/api/studio/scripts/:id/versions/:version/export', guard, async (request, reply) => {
    const { id, version } = parse(ZVersionParams, request.params);
    try {
      const { source } = studio.source(id, version);
      const name = `${id}${version === 'draft' ? '.draft' : `.v${version}`}.yaml`;
      return reply.type('application/yaml; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(source);
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.put('/api/studio/scripts/:id/draft', write, async (request, reply) => {
    const { id } = parse(ZScriptIdParam, request.params);
    const { source } = parse(ZSourceBody, request.body);
    try {
      return studio.saveDraft(id, source, staffOf(request));
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.post('/api/studio/scripts/:id/publish', write, async (request, reply) => {
    const { id } = parse(ZScriptIdParam, request.params);
    const body = parse(ZPublishBody, request.body);
    try {
      const publication = studio.publish(id, staffOf(request), body.source === undefined ? {} : { source: body.source });
      return reply.code(201).send({ publication });
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.post('/api/studio/scripts/:id/rollback', write, async (request, reply) => {
    const { id } = parse(ZScriptIdParam, request.params);
    const { version } = parse(ZRollbackBody, request.body);
    try {
      return reply.code(201).send({ publication: studio.rollback(id, version, staffOf(request)) });
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.get('/api/studio/scripts/:id/diff', guard, async (request, reply) => {
    const { id } = parse(ZScriptIdParam, request.params);
    const { from, to } = parse(ZDiffQuery, request.query);
    try {
      return studio.diff(id, from, to);
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.post('/api/studio/lint', write, async (request) => {
    const { source } = parse(ZSourceBody, request.body);
    return { lint: studio.lint(source).report };
  });

  app.post('/api/studio/import', write, async (request, reply) => {
    const { source } = parse(ZSourceBody, request.body);
    try {
      return studio.importYaml(source, staffOf(request));
    } catch (error) {
      return sendStudioError(reply, error);
    }
  });

  app.post('/api/studio/simulate', write, async (request, reply) => {
    const { source, ...simulation } = parse(ZSimulateBody, request.body);
    try {
      return studio.simulate(source, simulation);
    } catch (error) {
      if (error instanceof ScriptError) {
        const lint = studio.lint(source).report;
        return reply.code(422).send({ error: { code: 'invalid_script', message: 'the draft does not load: fix the errors to simulate it', retryable: false }, lint });
      }
      throw error;
    }
  });
}
