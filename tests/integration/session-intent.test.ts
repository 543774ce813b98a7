/**
 * Typed answers at intent steps are classified by the configured provider before the reducer
 * sees them, and the reading is stored with the answer. The LLM provider runs the real
 * `openai` client against a local OpenAI-compatible server; any failure falls back offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { answerFor, connectApplicant, createSession, type Applicant } from '../support/applicant.ts';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub-server.ts';

let stub: OpenAiStub;
beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(async () => {
  await stub.close();
});

/** Answers every prompt with the default answers until `stepId` is asked. */
async function answerUntil(a: Applicant, stepId: string): Promise<void> {
  for (let turn = 0; turn < 20; turn++) {
    const view = await a.waitForView((v) => v.prompt !== null || v.status !== 'active');
    if (view.prompt?.stepId === stepId) return;
    if (view.status !== 'active') throw new Error(`session ended (${view.status}) before ${stepId}`);
    const seen = a.views.length;
    await a.emitAck('dialogue:answer', answerFor(view));
    await a.waitForView(() => a.views.length > seen);
  }
  throw new Error(`never reached ${stepId}`);
}

async function classificationsOf(server: TestServer, sessionId: string, stepId: string) {
  const store = openSqliteStore({ dataDir: server.dataDir });
  try {
    return store.events
      .list(sessionId)
      .filter((e) => e.type === 'AnswerReceived' && (e.payload as { stepId: string }).stepId === stepId)
      .map((e) => {
        const payload = e.payload as {
          question: string;
          classification?: { label: string; provider: string; coercion_signals: string[]; rationale: string; latency_ms: number };
        };
        return payload.classification ? { ...payload.classification, question: payload.question } : undefined;
      });
  } finally {
    store.close();
  }
}

async function atVoluntary(server: TestServer) {
  const { token, sessionId } = await createSession(server.url, { locale: 'en' });
  const a = await connectApplicant(server.url, token);
  await a.emitAck('session:begin', {});
  await answerUntil(a, 'voluntary');
  return { a, sessionId };
}

describe.each([
  { provider: 'llm (valid reply)', model: 'valid', expectProvider: 'llm' },
  { provider: 'llm (HTTP 500 -> offline)', model: 'http500', expectProvider: 'offline' },
  { provider: 'llm (malformed -> offline)', model: 'malformed', expectProvider: 'offline' },
])('answers classified by $provider', ({ model, expectProvider }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ATTEST_INTENT_PROVIDER: 'llm',
      ATTEST_LLM_BASE_URL: stub.baseURL,
      ATTEST_LLM_API_KEY: 'test-key',
      ATTEST_LLM_MODEL: model,
      ATTEST_LLM_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => server.stop());

  it('stores the reading with the answer and moves on', async () => {
    stub.reply = { label: 'affirm', coercion_signals: [], injection: false, confidence: 0.95, rationale: 'clear yes' };
    const { a, sessionId } = await atVoluntary(server);
    try {
      expect(await a.emitAck('dialogue:answer', { stepId: 'voluntary', text: 'Yes, entirely my own choice.' })).toEqual({ ok: true });
      const next = await a.waitForView((v) => v.prompt?.stepId === 'for_yourself');
      expect(next.status).toBe('active');
      const [reading] = await classificationsOf(server, sessionId, 'voluntary');
      expect(reading).toMatchObject({ label: 'affirm', provider: expectProvider });
      // The evidence names the question exactly as it was put to the applicant.
      expect(reading?.question).toContain('of your own free will');
      expect(typeof reading?.latency_ms).toBe('number');
    } finally {
      a.close();
    }
  });
});

describe('offline provider (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.stop());

  it('sends the session to review when the applicant says someone told them to apply', async () => {
    const { a, sessionId } = await atVoluntary(server);
    try {
      await a.emitAck('dialogue:answer', { stepId: 'voluntary', text: 'Yes. My manager told me I have to apply for this.' });
      const final = await a.waitForView((v) => v.status !== 'active');
      expect(final.status).toBe('review');
      const [reading] = await classificationsOf(server, sessionId, 'voluntary');
      expect(reading?.provider).toBe('offline');
      expect(reading?.coercion_signals).toContain('instructed_by_other');
    } finally {
      a.close();
    }
  });
});

describe('approved answers worded by the LLM', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ATTEST_INTENT_PROVIDER: 'llm',
      ATTEST_LLM_BASE_URL: stub.baseURL,
      ATTEST_LLM_API_KEY: 'test-key',
      ATTEST_LLM_MODEL: 'valid',
      ATTEST_LLM_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => server.stop());

  async function askAboutRecording(reworded: string) {
    // One stub answers both calls: as a classification this reply is invalid (offline fallback,
    // which reads a question); as a wording it is used only if it keeps the approved facts.
    stub.reply = { text: reworded };
    const { token, sessionId } = await createSession(server.url, { locale: 'en' });
    const a = await connectApplicant(server.url, token);
    try {
      await a.emitAck('session:begin', {});
      await a.waitForView((v) => v.prompt?.stepId === 'consent_recording');
      const seen = a.views.length;
      await a.emitAck('dialogue:answer', { stepId: 'consent_recording', text: 'Who can see the recording?' });
      await a.waitForView((v) => a.views.length > seen && v.transcript.some((l) => l.from === 'applicant'));
    } finally {
      a.close();
    }
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const said = store.events.list(sessionId).filter((e) => e.type === 'AssistantSaid').map((e) => e.payload as { text: string; approved?: string; rephrasedBy?: string });
      return said.find((p) => p.approved !== undefined || p.text.includes('compliance staff'));
    } finally {
      store.close();
    }
  }

  it('says the LLM wording and keeps the approved text beside it', async () => {
    const line = await askAboutRecording('Only authorised compliance staff can watch it, and each viewing is logged; it is kept securely with your application, then deleted.');
    expect(line).toMatchObject({ rephrasedBy: 'llm', text: expect.stringContaining('can watch it') });
    expect(line?.approved).toContain('Only authorised compliance staff can view it');
  });

  it('keeps the approved text when the wording adds a figure', async () => {
    const line = await askAboutRecording('Only compliance staff can see it, and we keep it for 5 years.');
    expect(line?.rephrasedBy).toBeUndefined();
    expect(line?.text).toContain('Only authorised compliance staff can view it');
  });
});
