/** Fastify + socket.io on one port: the HTTP API, applicant sockets and the built client. */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Server } from 'socket.io';
import type { Logger } from '../log.ts';
import type { MediaTransport } from '../media/index.ts';
import type { Store } from '../store/index.ts';
import type { LiveMedia, ScriptCatalog, SessionNotices, SessionService, UploadHub } from '../session/index.ts';
import { AppError, errorBody } from './errors.ts';
import { registerSessionRoutes } from './routes/sessions.ts';
import { registerUploadRoutes } from './routes/uploads.ts';
import { registerContractRoutes } from './routes/contract.ts';
import { registerReviewRoutes } from './routes/review.ts';
import { ReviewService } from '../review/index.ts';
import type { ContractRuntime } from '../contract/session.ts';
import { attachApplicantSockets } from './socket.ts';
import { installStaffAuth, registerStaffRoutes, type StaffService } from '../staff/index.ts';
import { ViewBuilder } from './views.ts';
import type { VoiceAgent } from '../voice/index.ts';

export interface HttpDeps {
  service: SessionService;
  catalog: ScriptCatalog;
  store: Store;
  transport: MediaTransport;
  liveMedia: LiveMedia;
  notices: SessionNotices;
  uploads: UploadHub;
  logger: Logger;
  apiKey: string | null;
  clientDir: string;
  /** The e-contract's keys and templates (signature upload, preview, downloads, verification). */
  contract: ContractRuntime;
  /** Staff sign-in; `secureCookie` when the public URL is https. */
  staff: { service: StaffService; secureCookie: boolean };
  /** Which X-Forwarded-For hops to believe for the client IP (sign-in throttling); default none. */
  trustProxy?: boolean | number | string[];
  /** Speech and turn-taking (the `voice` socket channel); absent = captions only. */
  voice?: VoiceAgent;
}

export interface HttpServer {
  app: FastifyInstance;
  io: Server;
  /** Every route registered (method + URL pattern), for the access-control test over all endpoints. */
  routes: readonly { method: string; url: string }[];
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  // Applicant links carry the session token in the path: never leak it in a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(self), microphone=(self), geolocation=()',
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};

export async function buildHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 16 * 1024,
    // Request URLs carry applicant tokens: never log requests.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: typeof deps.trustProxy === 'number' ? trustHops(deps.trustProxy) : (deps.trustProxy ?? false),
  });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const views = new ViewBuilder(deps.service, deps.catalog, deps.store, deps.liveMedia);

  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(error.status).send({ error: error.toJSON() });
    }
    const mapped = mapFastifyError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(mapped.status).send({ error: mapped.body });
  });

  installStaffAuth(app, deps.staff.service);
  app.get('/api/health', async () => ({ ok: true }));
  registerSessionRoutes(app, { service: deps.service, views, apiKey: deps.apiKey });
  registerUploadRoutes(app, { service: deps.service, uploads: deps.uploads });
  registerContractRoutes(app, { service: deps.service, catalog: deps.catalog, store: deps.store, runtime: deps.contract });
  registerStaffRoutes(app, { staff: deps.staff.service, store: deps.store, secureCookie: deps.staff.secureCookie });
  registerReviewRoutes(app, { ...reviewDeps(deps), store: deps.store });
  app.all('/api/*', async () => {
    throw new AppError('not_found', 'No such API endpoint.');
  });

  await registerClient(app, deps.clientDir, deps.logger);

  const io = new Server(app.server, {
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const sockets = attachApplicantSockets(io, {
    service: deps.service,
    views,
    transport: deps.transport,
    liveMedia: deps.liveMedia,
    notices: deps.notices,
    ...(deps.voice ? { voice: deps.voice } : {}),
    logger: deps.logger,
  });

  return {
    app,
    io,
    routes,
    async close() {
      await sockets.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close();
    },
  };
}

/** Serves the built client, with index.html for every client-side route. */
async function registerClient(app: FastifyInstance, clientDir: string, logger: Logger): Promise<void> {
  const index = path.join(clientDir, 'index.html');
  if (!fs.existsSync(index)) {
    logger.warn({ clientDir }, 'client build not found; run `npm run build` (npm start does)');
    app.setNotFoundHandler(async (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.code(404).send({ error: errorBody('not_found') });
      return reply.code(503).type('text/plain').send('The client is not built. Run `npm run build`, or start with `npm start`.');
    });
    return;
  }
  await app.register(fastifyStatic, { root: clientDir, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/') || path.extname(request.url.split('?')[0] ?? '')) {
      return reply.code(404).send({ error: errorBody('not_found') });
    }
    return reply.type('text/html').sendFile('index.html');
  });
}

function mapFastifyError(error: FastifyError): { status: number; body: ReturnType<typeof errorBody> } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody('payload_too_large') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: errorBody('unsupported_media_type') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: errorBody('bad_request', 'The request body is empty or malformed.') };
    default:
      if (error.statusCode === 400 || error instanceof SyntaxError) {
        return { status: 400, body: errorBody('bad_request', 'The request body is not valid JSON.') };
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, body: errorBody('bad_request', error.message) };
      }
      return { status: 500, body: errorBody('internal') };
  }
}

/** The review console's service: the access log and transactions come from the store. */
function reviewDeps(deps: HttpDeps): { review: ReviewService; products: () => string[]; scripts: () => string[] } {
  const productsOf = (scriptId: string): string[] =>
    (deps.catalog.latest(scriptId)?.script.steps ?? []).flatMap((step) => {
      const product = (step as { product?: unknown }).product;
      return typeof product === 'string' ? [product] : [];
    });
  const review = new ReviewService({
    store: deps.store,
    accessLog: deps.store.accessLog,
    transaction: (fn) => deps.store.transaction(fn),
    catalog: deps.catalog,
    keyring: () => deps.contract.keys.publicKeys(),
    scriptsForProduct: (product) => deps.catalog.ids().filter((id) => productsOf(id).includes(product)),
  });
  return { review, scripts: () => deps.catalog.ids(), products: () => [...new Set(deps.catalog.ids().flatMap(productsOf))].sort() };
}

/** N proxy hops to believe, as the trust function Fastify's types accept. */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
