/**
 * Composition root: builds every part from the parsed config, once. Providers are chosen here
 * and fail startup with a clear message when unusable, never later when an applicant needs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { loadScriptsFromDir, type LoadedScript } from './dialogue/index.ts';
import { createIntentClassifier, getProduct, loadProductsFromDir, registerProducts } from './intent/index.ts';
import { createLlmPhraser } from './intent/llm/phrase.ts';
import { checkFfmpeg, createEmbeddedTransport, type MediaTransport } from './media/index.ts';
import { createRequire } from 'node:module';
import { openSqliteStore } from './store/index.ts';
import { LiveMedia, ScriptCatalog, SessionNotices, SessionRecorder, SessionService, UploadHub, VerifierRegistry } from './session/index.ts';
import { buildHttpServer, type HttpServer } from './http/index.ts';
import { createDocumentVerifier, languageDataPath, OcrPool } from './verify/document/index.ts';
import { createLivenessVerifier, FaceContinuity, FaceEngine } from './verify/face/index.ts';
import { ContractInputError, ContractKeyError } from './contract/errors.ts';
import { checkContractSteps, openContractRuntime } from './contract/runtime.ts';
import type { ContractRuntime } from './contract/session.ts';
import { createContractSealVerifier } from './contract/verifier.ts';
import { StaffService } from './staff/index.ts';
import { lintEnvironmentFrom, registerStudioRoutes, ScriptStudio } from './studio/index.ts';
import { createVoiceProviders, VoiceAgent, VoiceStartupError } from './voice/index.ts';

export interface Attest {
  url: string;
  port: number;
  http: HttpServer;
  service: SessionService;
  transport: MediaTransport;
  staff: StaffService;
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
  const contract = openContract(config, loaded, logger);
  const store = openSqliteStore({ dataDir: config.dataDir });
  const catalog = new ScriptCatalog(loaded, store.scripts);
  // The files are the defaults: imported when a script has no published version; new sessions
  // start on the latest published version (the studio's).
  const studio = new ScriptStudio({
    store,
    catalog,
    lintEnvironment: lintEnvironmentFrom({ getProduct, templateIds: contract.templates.keys() }),
    logger,
  });
  for (const current of studio.importDefaults(loaded)) catalog.setCurrent(current);
  // The face models load while the media process starts: both fail startup if unusable.
  const faceEngine = new FaceEngine({ logger });
  const [transport, voiceProviders] = await Promise.all([
    createTransport(config, logger),
    createVoiceProviders(config.voice, logger).catch((error: Error) => {
      throw error instanceof VoiceStartupError ? new StartupError(error.message) : error;
    }),
    faceEngine.start().catch((error: Error) => {
      throw new StartupError(`the face engine could not start: ${error.message}`);
    }),
  ]);
  const liveMedia = new LiveMedia();
  const uploads = new UploadHub();
  const notices = new SessionNotices();
  const verifiers = new VerifierRegistry(logger, {
    liveMedia,
    uploads,
    guidance: (sessionId, stepId, verifier, guidance) => notices.publish(sessionId, { stepId, verifier, guidance }),
  });
  const classifier = createIntentClassifier(config.intent);
  const ocr = createOcr(config, logger);
  verifiers.register(createDocumentVerifier({ ocr, logger }));
  // Continuity records its facts through the session service, created just below.
  let recordFact: (sessionId: string, type: string, payload: Record<string, unknown>) => Promise<void> = async () => undefined;
  const continuity = new FaceContinuity({
    engine: faceEngine,
    liveMedia,
    threshold: config.faceMatchThreshold,
    logger,
    record: (sessionId, type, payload) => recordFact(sessionId, type, payload),
  });
  verifiers.register(createLivenessVerifier({ engine: faceEngine, logger, matchThreshold: config.faceMatchThreshold, continuity }));
  verifiers.register(createContractSealVerifier({ store, catalog, runtime: contract, logger, continuity }));
  const service = new SessionService({
    store,
    catalog,
    verifiers,
    classifier,
    phraser: config.intent.provider === 'llm' ? createLlmPhraser(config.intent) : null,
    logger,
    publicUrl: config.publicUrl,
    defaultScriptId: config.defaultScriptId,
    sessionTtlMs: config.sessionTtlMs,
  });
  recordFact = (sessionId, type, payload) => service.recordFacts(sessionId, [{ type, payload }]);
  service.onEnded((sessionId) => continuity.stop(sessionId));
  // Sessions the last process left running are marked interrupted (resumable by the applicant).
  service.markInterrupted();
  const voice = new VoiceAgent({ service, liveMedia, ...voiceProviders, repromptMs: config.voice.repromptMs, maxReprompts: config.voice.maxReprompts, logger });
  // The default script's lines first: new sessions start on it.
  voice.warm([...loaded].sort((a, b) => Number(b.script.id === config.defaultScriptId) - Number(a.script.id === config.defaultScriptId)).map((l) => l.script));
  service.restore();
  const recorder = new SessionRecorder({ service, liveMedia, workDir: path.join(config.dataDir, 'recording'), logger });
  // Their recordings go on when the applicant resumes; segments a crash left are stored now.
  await recorder.restore(store.sessions.listByStatus(['interrupted']).map((s) => s.id));
  const staff = new StaffService({ store, logger, idleMs: config.staff.idleMs, absoluteMs: config.staff.absoluteMs });
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
    contract,
    staff: { service: staff, secureCookie: config.staff.secureCookie },
    trustProxy: config.trustProxy,
    voice,
  });
  registerStudioRoutes(http.app, studio);
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
    staff,
    stop() {
      stopping ??= (async () => {
        voice.close();
        await http.close();
        await transport.shutdown(); // finalises running recordings, reported to the recorder
        await recorder.close();
        await service.shutdown();
        await voiceProviders.close();
        await ocr.close();
        await faceEngine.close();
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

/** The e-contract's keys, fonts and templates; every contract step must be sealable. */
function openContract(config: Config, loaded: LoadedScript[], logger: Logger): ContractRuntime {
  try {
    const runtime = openContractRuntime({
      dataDir: config.dataDir,
      templatesDir: config.contractsDir,
      getProduct,
      ...config.contract,
    });
    checkContractSteps(runtime, loaded);
    if (runtime.fontProblem) {
      logger.warn({ problem: runtime.fontProblem }, 'Chinese contract PDFs are unavailable until the Noto CJK fonts are installed (apt-get install fonts-noto-cjk)');
    }
    return runtime;
  } catch (error) {
    if (error instanceof ContractKeyError || error instanceof ContractInputError) {
      throw new StartupError(`The e-contract cannot be set up: ${error.message} (see ATTEST_CONTRACT_KEY_PATH, ATTEST_PDF_P12_PATH, ATTEST_CONTRACTS_DIR)`);
    }
    throw error;
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

/** The OCR pool starts its workers on first use; its language data must be installed now. */
function createOcr(config: Config, logger: Logger): OcrPool {
  for (const language of ['eng', 'chi_sim'] as const) {
    const dir = languageDataPath(language);
    if (!fs.existsSync(dir)) throw new StartupError(`OCR language data for ${language} is missing at ${dir}; run npm ci`);
  }
  return new OcrPool({ size: config.ocrWorkers, logger });
}

async function createTransport(config: Config, logger: Logger): Promise<MediaTransport> {
  const ffmpegPath = await findFfmpeg(config.media.ffmpegPath);
  return createEmbeddedTransport({ logger, iceServers: config.media.iceServers, ffmpegPath });
}

/**
 * Sessions are recorded, so a usable ffmpeg (with libx264) is required at startup: the configured
 * one, else the system's, else the static build shipped in the @ffmpeg-installer npm package.
 */
async function findFfmpeg(configured: string | null): Promise<string> {
  if (configured) {
    await checkFfmpeg(configured).catch((error: Error) => {
      throw new StartupError(`ATTEST_FFMPEG_PATH: ${error.message}`);
    });
    return configured;
  }
  const candidates = ['ffmpeg'];
  try {
    candidates.push((createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path);
  } catch {
    // the npm fallback is not installed for this platform
  }
  const problems: string[] = [];
  for (const candidate of candidates) {
    try {
      await checkFfmpeg(candidate);
      return candidate;
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  throw new StartupError(`no usable ffmpeg for recordings: ${problems.join('; ')}`);
}
