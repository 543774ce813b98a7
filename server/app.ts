/**
 * Composition root: builds every part from the parsed config, once. Providers are chosen here
 * and fail startup with a clear message when unusable, never later when an applicant needs them.
 */
import fs from 'node:fs';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { loadScriptsFromDir, type LoadedScript } from './dialogue/index.ts';
import { createIntentClassifier, getProduct, loadProductsFromDir, registerProducts } from './intent/index.ts';
import { createEmbeddedTransport, type MediaTransport } from './media/index.ts';
import { openSqliteStore } from './store/index.ts';
import { LiveMedia, ScriptCatalog, SessionNotices, SessionService, UploadHub, VerifierRegistry } from './session/index.ts';
import { buildHttpServer, type HttpServer } from './http/index.ts';

export interface Attest {
  url: string;
  port: number;
  http: HttpServer;
  service: SessionService;
  transport: MediaTransport;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

export async function startAttest(config: Config, logger: Logger): Promise<Attest> {
  refuseUnbuiltProviders(config);
  // Products first: scripts refer to them, and their FAQ answers questions inside the reducer.
  registerProducts(loadProductsFromDir(config.productsDir));
  const loaded = loadScriptsFromDir(config.scriptsDir);
  checkProductReferences(loaded);
  if (!loaded.some((s) => s.script.id === config.defaultScriptId)) {
    throw new StartupError(
      `The default script "${config.defaultScriptId}" (ATTEST_DEFAULT_SCRIPT) is not in ${config.scriptsDir}; found: ${loaded.map((s) => s.script.id).join(', ') || 'none'}`,
    );
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = openSqliteStore({ dataDir: config.dataDir });
  const catalog = new ScriptCatalog(loaded, store.scripts);
  const transport = await createTransport(config, logger);
  const liveMedia = new LiveMedia();
  const uploads = new UploadHub();
  const notices = new SessionNotices();
  const verifiers = new VerifierRegistry(logger, {
    liveMedia,
    uploads,
    guidance: (sessionId, stepId, verifier, guidance) => notices.publish(sessionId, { stepId, verifier, guidance }),
  });
  const classifier = createIntentClassifier(config.intent);
  const service = new SessionService({
    store,
    catalog,
    verifiers,
    classifier,
    logger,
    publicUrl: config.publicUrl,
    defaultScriptId: config.defaultScriptId,
    sessionTtlMs: config.sessionTtlMs,
  });
  service.restore();
  const http = await buildHttpServer({
    service,
    catalog,
    store,
    transport,
    liveMedia,
    notices,
    uploads,
    logger,
    apiKey: config.apiKey,
    clientDir: config.clientDir,
  });
  await http.app.listen({ port: config.port, host: config.host });
  const address = http.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, scripts: catalog.ids(), media: transport.kind }, 'attest listening');

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    http,
    service,
    transport,
    stop() {
      stopping ??= (async () => {
        await http.close();
        await service.shutdown();
        await transport.shutdown();
        store.close();
      })();
      return stopping;
    },
  };
}

/** A script naming a product that is not loaded would answer every question "noted": refuse it. */
function checkProductReferences(loaded: LoadedScript[]): void {
  for (const { script, file } of loaded) {
    for (const step of script.steps as (typeof script.steps[number] & { product?: string })[]) {
      if (step.product !== undefined && !getProduct(step.product)) {
        throw new StartupError(`${file}: step "${step.id}" names product "${step.product}", which is not in ATTEST_PRODUCTS_DIR`);
      }
    }
  }
}

/** Selected providers that do not exist yet fail here, before anything is opened. */
function refuseUnbuiltProviders(config: Config): void {
  if (config.media.transport === 'livekit') {
    throw new StartupError(
      'ATTEST_MEDIA_TRANSPORT=livekit is not implemented yet; use the default "embedded" transport (see docs/decisions/001-embedded-webrtc.md).',
    );
  }
}

async function createTransport(config: Config, logger: Logger): Promise<MediaTransport> {
  return createEmbeddedTransport({ logger, iceServers: config.media.iceServers });
}
