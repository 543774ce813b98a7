/**
 * A real server on a random port with a temporary SQLite file, driven by a socket.io client
 * the way the applicant app drives it. No mocks.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerFor, completeSession, connectApplicant, createSession, type Applicant } from '../support/applicant.ts';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { openSqliteStore } from '../../server/store/index.ts';

let server: TestServer;
const open: Applicant[] = [];

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const a of open.splice(0)) a.close();
  await server.stop();
});

async function connect(token: string, options: { clientId?: string; takeover?: boolean } = {}) {
  const a = await connectApplicant(server.url, token, options);
  open.push(a);
  return a;
}

function storedEvents(sessionId: string): { type: string; payload: Record<string, unknown> }[] {
  const db = new Database(path.join(server.dataDir, 'attest.db'), { readonly: true });
  try {
    return (db.prepare('SELECT type, payload_json FROM events WHERE session_id = ? ORDER BY seq').all(sessionId) as {
      type: string;
      payload_json: string;
    }[]).map((r) => ({ type: r.type, payload: JSON.parse(r.payload_json) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

describe('applicant session over HTTP + socket.io', () => {
  it('creates a session with an unguessable token and an applicant link', async () => {
    const created = await createSession(server.url, { locale: 'en' });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.link).toBe(`${server.config.publicUrl}/s/${created.token}`);
    expect(created.reference).toMatch(/^ATT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const res = await fetch(`${server.url}/api/sessions/${created.token}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as { status: string; locale: string };
    expect(view).toMatchObject({ status: 'created', locale: 'en' });
  });

  it('runs the default script to completion and stores a verifiable event chain', async () => {
    const { token, sessionId } = await createSession(server.url, { locale: 'en' });
    const a = await connect(token);
    await a.waitForView((v) => v.status === 'created');
    expect(await a.emitAck('session:begin', { locale: 'en' })).toEqual({ ok: true });
    const final = await completeSession(a);
    expect(final.status).toBe('completed');
    expect(final.transcript.filter((l) => l.from === 'assistant').length).toBeGreaterThan(3);
    expect(final.transcript.some((l) => l.from === 'applicant' && l.text === 'Jane Example')).toBe(true);

    const types = storedEvents(sessionId).map((e) => e.type);
    expect(types[0]).toBe('SessionCreated');
    expect(types).toContain('SessionStarted');
    expect(types).toContain('ConsentRecorded');
    expect(types.at(-1) === 'SessionEnded' || types.includes('SessionEnded')).toBe(true);
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const chain = store.events.verifyChain(sessionId);
      expect(chain.ok).toBe(true);
      expect(chain.count).toBe(types.length);
    } finally {
      store.close();
    }
    const res = await fetch(`${server.url}/api/sessions/${token}`);
    expect(((await res.json()) as { status: string }).status).toBe('completed');
  });

  it('ends "declined" when the applicant refuses consent to record', async () => {
    const { token } = await createSession(server.url, { locale: 'zh-CN' });
    const a = await connect(token);
    await a.emitAck('session:begin', {});
    const consent = await a.waitForView((v) => v.prompt?.input.type === 'yesno');
    const result = await a.emitAck('dialogue:answer', { stepId: consent.prompt!.stepId, choice: 'no' });
    expect(result.ok).toBe(true);
    const final = await a.waitForView((v) => v.status !== 'active');
    expect(final.status).toBe('declined');
    expect(final.locale).toBe('zh-CN');
  });

  it('refuses unknown tokens with a JSON 404 and on the socket', async () => {
    const res = await fetch(`${server.url}/api/sessions/${'x'.repeat(43)}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'session_not_found' } });
    await expect(connectApplicant(server.url, 'y'.repeat(43))).rejects.toThrow('session_not_found');
  });

  it('rejects bad HTTP bodies with a message naming the field', async () => {
    const bad = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'fr' }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('locale');
    const broken = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"locale":',
    });
    expect(broken.status).toBe(400);
    const huge = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ externalRef: 'x'.repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
  });

  it('answers malformed, oversized and wrong-step messages with errors and keeps the session going', async () => {
    const { token } = await createSession(server.url, { locale: 'en' });
    const a = await connect(token);
    await a.emitAck('session:begin', {});
    const consent = await a.waitForView((v) => v.prompt !== null);

    const malformed = await a.emitAck('dialogue:answer', { stepId: 42 });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_message' } });
    expect(malformed.error?.message).toContain('stepId');

    const oversized = await a.emitAck('dialogue:answer', { stepId: consent.prompt!.stepId, text: 'x'.repeat(70_000) });
    expect(oversized).toMatchObject({ ok: false, error: { code: 'message_too_large' } });

    const wrong = await a.emitAck('dialogue:answer', { stepId: 'not-this-step', text: 'hello' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_step' } });

    a.socket.emit('media:signal', { type: 'offer' });
    await expect.poll(() => a.errors.map((e) => e.code)).toContain('bad_message');

    // Still alive and on the same step.
    expect(a.latest().prompt?.stepId).toBe(consent.prompt!.stepId);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(await a.emitAck('dialogue:answer', answerFor(a.latest()))).toEqual({ ok: true });
  });

  it('refuses a second device unless it takes over explicitly', async () => {
    const { token } = await createSession(server.url, { locale: 'en' });
    const first = await connect(token, { clientId: 'tab-one-123' });
    await expect(connectApplicant(server.url, token, { clientId: 'tab-two-456' })).rejects.toThrow('session_in_use');

    let takenOver = false;
    first.socket.on('session:taken-over', () => (takenOver = true));
    const second = await connect(token, { clientId: 'tab-two-456', takeover: true });
    await second.waitForView((v) => v.status === 'created');
    await expect.poll(() => takenOver).toBe(true);
    await expect.poll(() => first.socket.connected).toBe(false);

    // The same tab reconnecting (same clientId) replaces its old socket silently.
    const again = await connect(token, { clientId: 'tab-two-456' });
    await again.waitForView((v) => v.status === 'created');
  });

  it('continues from the stored state after a server restart', async () => {
    const { token, sessionId } = await createSession(server.url, { locale: 'en' });
    const a = await connect(token, { clientId: 'resume-tab-1' });
    await a.emitAck('session:begin', {});
    const consent = await a.waitForView((v) => v.prompt !== null);
    await a.emitAck('dialogue:answer', answerFor(consent));
    const before = await a.waitForView((v) => v.prompt !== null && v.prompt.stepId !== consent.prompt!.stepId);
    a.close();

    server = await server.restart();
    const b = await connect(token, { clientId: 'resume-tab-1' });
    const resumed = await b.waitForView(() => true);
    expect(resumed.status).toBe('active');
    expect(resumed.prompt?.stepId).toBe(before.prompt!.stepId);
    expect(resumed.transcript.length).toBe(before.transcript.length);
    const final = await completeSession(b);
    expect(final.status).toBe('completed');
    expect(storedEvents(sessionId).filter((e) => e.type === 'SessionStarted')).toHaveLength(1);
  });
});
