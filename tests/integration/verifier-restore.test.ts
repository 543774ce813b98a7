/**
 * A server that stops while a verifier runs (OCR, liveness, sealing) must not leave the step
 * waiting forever: the next start runs the same verifier again with the params it was asked with.
 * Real SQLite file, real script, real session service; the verifier is the test's own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScript } from '../../server/dialogue/index.ts';
import { createLogger } from '../../server/log.ts';
import { LiveMedia, ScriptCatalog, SessionService, UploadHub, VerifierRegistry, type Verifier } from '../../server/session/index.ts';
import { openSqliteStore, type Store } from '../../server/store/index.ts';
import { createIntentClassifier } from '../../server/intent/index.ts';

const logger = createLogger({ level: 'silent' });
const scriptFile = path.resolve('fixtures/scripts/liveness-check.yaml');
const dirs: string[] = [];
const stores: Store[] = [];
const services: SessionService[] = [];

afterEach(async () => {
  for (const service of services.splice(0)) await service.shutdown();
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The liveness test script with a question after the check, so a session waits there after it. */
const withQuestion = fs.readFileSync(scriptFile, 'utf8').replace(
  '  - id: goodbye\n',
  `  - id: nickname
    kind: question
    text:
      en: What should we call you?
      zh-CN: 我们怎么称呼您？
    answer:
      type: text
      minLength: 1
      maxLength: 40
  - id: goodbye\n`,
);

function start(dataDir: string, verifier: Verifier, source = fs.readFileSync(scriptFile, 'utf8')): { service: SessionService; store: Store } {
  const store = openSqliteStore({ dataDir });
  stores.push(store);
  const loaded = parseScript(source, scriptFile);
  const catalog = new ScriptCatalog([loaded], store.scripts);
  const verifiers = new VerifierRegistry(logger, { liveMedia: new LiveMedia(), uploads: new UploadHub(), guidance: () => undefined });
  verifiers.register(verifier);
  const service = new SessionService({
    store,
    catalog,
    verifiers,
    classifier: createIntentClassifier({ provider: 'offline' } as Parameters<typeof createIntentClassifier>[0]),
    logger,
    publicUrl: 'http://127.0.0.1',
    defaultScriptId: loaded.script.id,
    sessionTtlMs: 3_600_000,
  });
  services.push(service);
  return { service, store };
}

function verifier(run: Verifier['run']): Verifier {
  return { name: 'liveness', run };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('verifiers across a restart', () => {
  it('runs the interrupted verifier again with its run id, and the step takes its result', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-restore-'));
    dirs.push(dataDir);
    const seen: Record<string, unknown>[] = [];
    const first = start(dataDir, verifier((params, context) => {
      seen.push(params);
      return new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }));
    }));
    const { sessionId } = first.service.create({});
    await first.service.dispatch(sessionId, { type: 'SessionStarted', locale: 'en' });
    await first.service.dispatch(sessionId, { type: 'AnswerReceived', stepId: 'consent_recording', choice: 'yes' });
    await until(() => seen.length === 1);
    expect(first.store.sessions.findById(sessionId)?.state).toMatchObject({ stepId: 'live' });
    // The process stops: nothing is dispatched for the running verifier.
    await first.service.shutdown();
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    const rerun: Record<string, unknown>[] = [];
    const second = start(dataDir, verifier(async (params) => {
      rerun.push(params);
      return { outcome: 'pass', data: { score: 0.9 } };
    }));
    second.service.restore();
    await until(() => second.store.sessions.findById(sessionId)?.status === 'completed');
    expect(rerun).toEqual([seen[0]]);
    expect(rerun[0]).toMatchObject({ runId: 'live#1' });
    const types = second.store.events.list(sessionId).map((e) => e.type);
    expect(types.filter((t) => t === 'VerifierFinished')).toHaveLength(1);
    expect(second.store.events.verifyChain(sessionId).ok).toBe(true);
  });

  it('leaves a verifier that already reported alone', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-restore-'));
    dirs.push(dataDir);
    expect(withQuestion).toContain('id: nickname');
    const first = start(dataDir, verifier(async () => ({ outcome: 'pass' })), withQuestion);
    const { sessionId } = first.service.create({});
    await first.service.dispatch(sessionId, { type: 'SessionStarted', locale: 'en' });
    await first.service.dispatch(sessionId, { type: 'AnswerReceived', stepId: 'consent_recording', choice: 'yes' });
    await until(() => (first.store.sessions.findById(sessionId)?.state as { stepId?: string }).stepId === 'nickname');
    await first.service.shutdown();
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    let runs = 0;
    const second = start(dataDir, verifier(async () => {
      runs += 1;
      return { outcome: 'pass' };
    }), withQuestion);
    second.service.restore();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toBe(0);
    expect(second.store.sessions.findById(sessionId)?.status).toBe('active');
  });
});
