/**
 * Script studio over HTTP with a real server and SQLite: access control, drafts with lint
 * positions, publish (refused on lint errors, audited in the same transaction), diff, rollback,
 * export/import, the simulator, and a session started before a publish finishing on its version.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { completeSession, connectApplicant, createSession } from '../support/applicant.ts';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { createStaff, loginStaff, staffRequest, type StaffLogin } from '../support/staff.ts';

const ORIGINAL = readFileSync('prompts/scripts/onboarding.yaml', 'utf8');
const OLD_GREETING = "Hello, I'm Ava, your onboarding assistant.";
const NEW_GREETING = 'Welcome! This is version two of the greeting.';
const CHANGED = ORIGINAL.replace(
  "Hello, I'm Ava, your onboarding assistant. I'll guide you through your application\n        step by step.",
  'Welcome! This is version two of the greeting.\n        I will guide you step by step.',
);

let server: TestServer;
let editor: StaffLogin;
let reviewer: StaffLogin;

beforeAll(async () => {
  server = await startTestServer();
  const editorAccount = await createStaff(server, { email: 'editor@example.test', role: 'script_editor' });
  const reviewerAccount = await createStaff(server, { email: 'reviewer@example.test', role: 'reviewer' });
  editor = await loginStaff(server.url, editorAccount.email, editorAccount.password);
  reviewer = await loginStaff(server.url, reviewerAccount.email, reviewerAccount.password);
});

afterAll(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown, login: StaffLogin | null = editor) => staffRequest(server.url, login, method, path, body);

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

function accessLog(): { staff_id: string; action: string; detail: string }[] {
  const db = openSqliteStore({ dataDir: server.dataDir });
  try {
    return db.accessLog.list({ limit: 100 }).map((entry) => ({ staff_id: entry.staffId, action: entry.action, detail: JSON.stringify(entry.detail) }));
  } finally {
    db.close();
  }
}

describe('studio access', () => {
  it('needs a signed-in script editor, and the CSRF token on writes', async () => {
    expect((await api('GET', '/api/studio/scripts', undefined, null)).status).toBe(401);
    expect((await api('GET', '/api/studio/scripts', undefined, reviewer)).status).toBe(403);
    const noCsrf = await staffRequest(server.url, editor, 'PUT', '/api/studio/scripts/onboarding/draft', { source: ORIGINAL }, { 'x-csrf-token': 'wrong' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
  });
});

describe('studio scripts and versions', () => {
  it('lists the script files imported as version 1 at startup', async () => {
    const { scripts } = await json<{ scripts: { scriptId: string; current: { version: number; publishedBy: string | null; note: string } }[] }>(await api('GET', '/api/studio/scripts'), 200);
    const ids = scripts.map((script) => script.scriptId);
    expect(ids).toEqual(expect.arrayContaining(['onboarding', 'onboarding-identity']));
    const onboarding = scripts.find((script) => script.scriptId === 'onboarding');
    expect(onboarding?.current).toMatchObject({ version: 1, publishedBy: null, note: expect.stringContaining('onboarding.yaml') });
    const v1 = await json<{ source: string; lint: { publishable: boolean } }>(await api('GET', '/api/studio/scripts/onboarding/versions/1'), 200);
    expect(v1.source).toBe(ORIGINAL);
    expect(v1.lint.publishable).toBe(true);
  });

  it('saves a draft with lint problems at their line and column, and refuses to publish it', async () => {
    const broken = ORIGINAL.replace('    maxAttempts: 3\n    onMismatch: declined_not_free', '    maxAttempts: 9\n    onMismatch: declined_not_free');
    const line = broken.split('\n').findIndex((text) => text.includes('maxAttempts: 9')) + 1;
    const saved = await json<{ lint: { publishable: boolean; issues: { rule: string; severity: string; line: number; column: number }[] } }>(
      await api('PUT', '/api/studio/scripts/onboarding/draft', { source: broken }),
      200,
    );
    expect(saved.lint.publishable).toBe(false);
    expect(saved.lint.issues).toContainEqual(expect.objectContaining({ rule: 'bounded-waits', severity: 'error', line, column: 18 }));

    const refused = await json<{ error: { code: string }; lint: { errors: number } }>(await api('POST', '/api/studio/scripts/onboarding/publish', {}), 422);
    expect(refused.error.code).toBe('lint_failed');
    expect(refused.lint.errors).toBeGreaterThan(0);
    const { versions } = await json<{ versions: unknown[] }>(await api('GET', '/api/studio/scripts/onboarding/versions'), 200);
    expect(versions).toHaveLength(1);
    expect(accessLog().filter((entry) => entry.action.startsWith('script.'))).toEqual([]);
  });

  it('takes scripts larger than the usual API body limit, up to its own', async () => {
    const padded = `${ORIGINAL}${'# a comment line to make the script longer than sixteen kilobytes\n'.repeat(1000)}`;
    expect(padded.length).toBeGreaterThan(60_000);
    const saved = await json<{ lint: { publishable: boolean } }>(await api('PUT', '/api/studio/scripts/onboarding/draft', { source: padded }), 200);
    expect(saved.lint.publishable).toBe(true);
    const huge = await json<{ error: { message: string } }>(await api('PUT', '/api/studio/scripts/onboarding/draft', { source: 'x'.repeat(250_000) }), 400);
    expect(huge.error.message).toBe('source: at most 200000 characters');
  });

  it('refuses a draft whose YAML names another script, and bodies that are not a script', async () => {
    const other = await json<{ error: { code: string } }>(await api('PUT', '/api/studio/scripts/onboarding/draft', { source: ORIGINAL.replace('id: onboarding\n', 'id: another\n') }), 400);
    expect(other.error.code).toBe('script_id_mismatch');
    const bad = await json<{ error: { message: string } }>(await api('PUT', '/api/studio/scripts/onboarding/draft', { source: 42 }), 400);
    expect(bad.error.message).toMatch(/^source: /);
  });

  it('publishes, diffs and rolls back, each publish audited with the editor', async () => {
    await json(await api('PUT', '/api/studio/scripts/onboarding/draft', { source: CHANGED }), 200);
    const { publication } = await json<{ publication: { version: number; hash: string; publishedByEmail: string } }>(
      await api('POST', '/api/studio/scripts/onboarding/publish', {}),
      201,
    );
    expect(publication).toMatchObject({ version: 2, publishedByEmail: 'editor@example.test' });

    const diff = await json<{ added: number; removed: number; unified: string }>(await api('GET', '/api/studio/scripts/onboarding/diff?from=1&to=2'), 200);
    expect(diff.unified).toContain(`-        ${OLD_GREETING} I'll guide you through your application`);
    expect(diff.unified).toContain(`+        ${NEW_GREETING}`);
    expect([diff.added, diff.removed]).toEqual([2, 2]);

    const rolled = await json<{ publication: { version: number; hash: string; note: string } }>(await api('POST', '/api/studio/scripts/onboarding/rollback', { version: 1 }), 201);
    const v1 = await json<{ publication: { hash: string } }>(await api('GET', '/api/studio/scripts/onboarding/versions/1'), 200);
    expect(rolled.publication).toMatchObject({ version: 3, hash: v1.publication.hash, note: 'rollback to version 1' });
    const { versions } = await json<{ versions: { version: number; publishedByEmail: string | null }[] }>(await api('GET', '/api/studio/scripts/onboarding/versions'), 200);
    expect(versions.map((version) => [version.version, version.publishedByEmail])).toEqual([
      [3, 'editor@example.test'],
      [2, 'editor@example.test'],
      [1, null],
    ]);

    const entries = accessLog().filter((entry) => entry.action.startsWith('script.'));
    expect(entries.map((entry) => entry.action).sort()).toEqual(['script.publish', 'script.rollback']);
    expect(entries.every((entry) => entry.staff_id === editor.staff.id)).toBe(true);
    expect(entries.find((entry) => entry.action === 'script.rollback')?.detail).toContain('"rollbackTo":1');
    // Back on the changed greeting for the tests below.
    await json(await api('POST', '/api/studio/scripts/onboarding/rollback', { version: 2 }), 201);
  });

  it('exports a version as YAML and imports a file as a draft', async () => {
    const exported = await api('GET', '/api/studio/scripts/onboarding/versions/2/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('onboarding.v2.yaml');
    expect(await exported.text()).toBe(CHANGED);
    const source = CHANGED.replace('id: onboarding\n', 'id: onboarding-copy\n');
    const imported = await json<{ scriptId: string; lint: { publishable: boolean } }>(await api('POST', '/api/studio/import', { source }), 200);
    expect(imported).toMatchObject({ scriptId: 'onboarding-copy', lint: { publishable: true } });
    const { scripts } = await json<{ scripts: { scriptId: string; current: unknown; draft: unknown }[] }>(await api('GET', '/api/studio/scripts'), 200);
    expect(scripts.find((script) => script.scriptId === 'onboarding-copy')).toMatchObject({ current: null, draft: expect.any(Object) });
  });

  it('simulates a draft on the dialogue engine, and names the problems of one that does not load', async () => {
    const result = await json<{ path: string[]; transcript: { kind: string; text: string }[]; awaiting: { stepId: string } }>(
      await api('POST', '/api/studio/simulate', { source: CHANGED, locale: 'en', actions: [{ type: 'answer', text: 'yes' }] }),
      200,
    );
    expect(result.transcript[0]?.text).toContain(NEW_GREETING);
    expect(result.path).toEqual(['welcome', 'consent_recording', 'overview', 'full_name']);
    expect(result.awaiting.stepId).toBe('full_name');
    const broken = await json<{ lint: { issues: { rule: string }[] } }>(await api('POST', '/api/studio/simulate', { source: 'id: x\n', actions: [] }), 422);
    expect(broken.lint.issues[0]?.rule).toBe('schema');
  });
});

describe('versions and running sessions', () => {
  it('lets a session started before a publish finish on its old version; new sessions get the new one', async () => {
    // The current version has the changed greeting (v4 = v2). Start a session on it.
    const before = await createSession(server.url, { locale: 'en', scriptId: 'onboarding' });
    const early = await connectApplicant(server.url, before.token);
    expect(await early.emitAck('session:begin', { locale: 'en' })).toEqual({ ok: true });
    await early.waitForView((view) => view.prompt !== null);

    // Publish the original greeting again while it runs.
    await json(await api('POST', '/api/studio/scripts/onboarding/rollback', { version: 1 }), 201);

    const final = await completeSession(early);
    early.close();
    expect(final.status).toBe('completed');
    const lines = final.transcript.filter((line) => line.from === 'assistant').map((line) => line.text);
    expect(lines[0]).toContain(NEW_GREETING);
    expect(lines.some((line) => line.includes(OLD_GREETING))).toBe(false);

    const after = await createSession(server.url, { locale: 'en', scriptId: 'onboarding' });
    const late = await connectApplicant(server.url, after.token);
    expect(await late.emitAck('session:begin', { locale: 'en' })).toEqual({ ok: true });
    const view = await late.waitForView((v) => v.transcript.length > 0);
    late.close();
    expect(view.transcript[0]?.text).toContain(OLD_GREETING);
  });

  it('keeps the published version after a restart (the files do not override it)', async () => {
    server = await server.restart();
    editor = await loginStaff(server.url, 'editor@example.test', 'correct horse battery staple');
    const { scripts } = await json<{ scripts: { scriptId: string; current: { version: number } }[] }>(await api('GET', '/api/studio/scripts'), 200);
    expect(scripts.find((script) => script.scriptId === 'onboarding')?.current.version).toBe(5);
    const session = await createSession(server.url, { locale: 'en', scriptId: 'onboarding' });
    const applicant = await connectApplicant(server.url, session.token);
    expect(await applicant.emitAck('session:begin', { locale: 'en' })).toEqual({ ok: true });
    const view = await applicant.waitForView((v) => v.transcript.length > 0);
    applicant.close();
    expect(view.transcript[0]?.text).toContain(OLD_GREETING);
  });
});
