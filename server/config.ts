/**
 * Configuration: parsed once at startup from the environment into a typed object that is handed
 * to factories. No other module reads process.env. Every variable is listed in the README's
 * configuration table; keep the two in step.
 */
import path from 'node:path';
import { z } from 'zod';
import { intentOptionsFromEnv, type IntentClassifierOptions } from './intent/index.ts';
import { voiceOptionsFromEnv, type VoiceOptions } from './voice/options.ts';

const ZPort = z.coerce.number().int().min(0).max(65535);

const ZEnv = z.object({
  PORT: ZPort.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ATTEST_PUBLIC_URL: z.string().url().optional(),
  ATTEST_DATA_DIR: z.string().min(1).default('./data'),
  ATTEST_SCRIPTS_DIR: z.string().min(1).default('./prompts/scripts'),
  ATTEST_PRODUCTS_DIR: z.string().min(1).default('./prompts/products'),
  ATTEST_CONTRACTS_DIR: z.string().min(1).default('./prompts/contracts'),
  ATTEST_CONTRACT_KEY_PATH: z.string().min(1).optional(),
  ATTEST_PDF_P12_PATH: z.string().min(1).optional(),
  ATTEST_PDF_P12_PASSPHRASE: z.string().optional(),
  ATTEST_DEFAULT_SCRIPT: z.string().min(1).default('onboarding-identity'),
  ATTEST_CLIENT_DIR: z.string().min(1).default('./dist/client'),
  ATTEST_SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 90).default(72),
  ATTEST_API_KEY: z.string().min(16, 'ATTEST_API_KEY must be at least 16 characters').optional(),
  ATTEST_MEDIA_TRANSPORT: z.enum(['embedded', 'livekit']).default('embedded'),
  ATTEST_ICE_SERVERS: z.string().optional(),
  ATTEST_FFMPEG_PATH: z.string().min(1).optional(),
  ATTEST_FACE_MATCH_THRESHOLD: z.coerce.number().gt(0).lt(1).default(0.9),
  ATTEST_OCR_WORKERS: z.coerce.number().int().min(1).max(8).default(2),
  ATTEST_TRUST_PROXY: z.string().optional(),
  ATTEST_STAFF_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  ATTEST_STAFF_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const ZIceServers = z.array(
  z
    .object({
      urls: z.union([z.string(), z.array(z.string())]),
      username: z.string().optional(),
      credential: z.string().optional(),
    })
    .strict(),
);

export interface Config {
  port: number;
  host: string;
  /** Base URL used in applicant links; defaults to http://localhost:<port>. */
  publicUrl: string;
  dataDir: string;
  scriptsDir: string;
  productsDir: string;
  /** Contract templates (`<product>.<locale>.md`). */
  contractsDir: string;
  /** Signing keys of the e-contract; unset paths = generated on first run under `<dataDir>/keys`. */
  contract: { ed25519KeyPath?: string; p12Path?: string; p12Passphrase?: string };
  defaultScriptId: string;
  clientDir: string;
  sessionTtlMs: number;
  /** When set, creating sessions requires `Authorization: Bearer <key>`; unset = self-service demo. */
  apiKey: string | null;
  media: {
    transport: 'embedded' | 'livekit';
    /** ffmpeg for recordings; null = the system's, else the one shipped in an npm package. */
    ffmpegPath: string | null;
    iceServers: { urls: string | string[]; username?: string; credential?: string }[];
  };
  /** Cosine similarity at or above which a live face matches the document photo. */
  faceMatchThreshold: number;
  /** Tesseract workers for document reading (~200 MB each). */
  ocrWorkers: number;
  /** How applicants' answers are classified: offline rules, or an OpenAI-compatible LLM. */
  intent: IntentClassifierOptions;
  /** X-Forwarded-For hops to believe (Fastify trustProxy): false, true, a hop count, or proxy addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  /** Staff sign-in: idle and absolute lifetime of a login; Secure cookies when publicUrl is https. */
  staff: { idleMs: number; absoluteMs: number; secureCookie: boolean };
  /** Speech out (TTS) and in (STT): offline by default, OpenAI-compatible when configured. */
  voice: VoiceOptions;
  logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError naming every variable that is wrong. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const intent = intentOptionsFromEnv(env);
  if (!intent.ok) throw new ConfigError(`Invalid configuration:\n${intent.problems.map((p) => `  ${p}`).join('\n')}`);
  const voice = voiceOptionsFromEnv(env);
  if (!voice.ok) throw new ConfigError(`Invalid configuration:\n${voice.problems.map((p) => `  ${p}`).join('\n')}`);
  if (e.ATTEST_PDF_P12_PASSPHRASE !== undefined && !e.ATTEST_PDF_P12_PATH) {
    throw new ConfigError('Invalid configuration:\n  ATTEST_PDF_P12_PASSPHRASE: set only with ATTEST_PDF_P12_PATH');
  }
  let iceServers: Config['media']['iceServers'] = [];
  if (e.ATTEST_ICE_SERVERS) {
    let json: unknown;
    try {
      json = JSON.parse(e.ATTEST_ICE_SERVERS);
    } catch {
      throw new ConfigError('Invalid configuration:\n  ATTEST_ICE_SERVERS: not valid JSON');
    }
    const ice = ZIceServers.safeParse(json);
    if (!ice.success) {
      throw new ConfigError(
        `Invalid configuration:\n  ATTEST_ICE_SERVERS: expected [{"urls": "stun:host:port"}, ...] (${ice.error.issues[0]?.message})`,
      );
    }
    iceServers = ice.data;
  }
  const trustProxy = parseTrustProxy(e.ATTEST_TRUST_PROXY);
  if (trustProxy === null) {
    throw new ConfigError('Invalid configuration:\n  ATTEST_TRUST_PROXY: expected true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs');
  }
  const resolve = (p: string) => path.resolve(cwd, p);
  const publicUrl = (e.ATTEST_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: resolve(e.ATTEST_DATA_DIR),
    scriptsDir: resolve(e.ATTEST_SCRIPTS_DIR),
    productsDir: resolve(e.ATTEST_PRODUCTS_DIR),
    contractsDir: resolve(e.ATTEST_CONTRACTS_DIR),
    contract: {
      ...(e.ATTEST_CONTRACT_KEY_PATH ? { ed25519KeyPath: resolve(e.ATTEST_CONTRACT_KEY_PATH) } : {}),
      ...(e.ATTEST_PDF_P12_PATH ? { p12Path: resolve(e.ATTEST_PDF_P12_PATH) } : {}),
      ...(e.ATTEST_PDF_P12_PASSPHRASE !== undefined ? { p12Passphrase: e.ATTEST_PDF_P12_PASSPHRASE } : {}),
    },
    defaultScriptId: e.ATTEST_DEFAULT_SCRIPT,
    clientDir: resolve(e.ATTEST_CLIENT_DIR),
    sessionTtlMs: e.ATTEST_SESSION_TTL_HOURS * 3600_000,
    apiKey: e.ATTEST_API_KEY ?? null,
    media: { transport: e.ATTEST_MEDIA_TRANSPORT, iceServers, ffmpegPath: e.ATTEST_FFMPEG_PATH ?? null },
    ocrWorkers: e.ATTEST_OCR_WORKERS,
    faceMatchThreshold: e.ATTEST_FACE_MATCH_THRESHOLD,
    intent: intent.options,
    trustProxy,
    staff: {
      idleMs: e.ATTEST_STAFF_IDLE_MINUTES * 60_000,
      absoluteMs: e.ATTEST_STAFF_SESSION_HOURS * 3600_000,
      secureCookie: publicUrl.startsWith('https://'),
    },
    voice: voice.options,
    logLevel: e.LOG_LEVEL,
  };
}

/** Unset/false: no proxy; true: any; N: N hops; otherwise a list of proxy addresses or CIDRs. */
function parseTrustProxy(value: string | undefined): boolean | number | string[] | null {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((part) => part.trim()).filter(Boolean);
  return list.every((part) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part)) && list.length > 0 ? list : null;
}
