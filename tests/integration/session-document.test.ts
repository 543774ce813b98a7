/**
 * The document step end to end on the real server: the applicant uploads a photo of a passport
 * page (rendered by the test), the server reads it offline, the applicant sees the fields to
 * confirm, corrects one, and the correction is stored beside the read value. Bad uploads are
 * refused with a reason and the session carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { connectApplicant, createSession } from '../support/applicant.ts';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { renderDocumentPage, SAMPLE_HOLDER, td3Lines } from '../support/mrz-render.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ATTEST_DEFAULT_SCRIPT: 'onboarding-identity' });
});
afterAll(async () => server.stop());

async function upload(token: string, body: Uint8Array, type = 'image/jpeg') {
  const payload = new Blob([new Uint8Array(body)], { type });
  const res = await fetch(`${server.url}/api/sessions/${token}/stills`, { method: 'POST', headers: { 'content-type': type }, body: payload });
  return { status: res.status, body: (await res.json()) as { accepted?: boolean; error?: { code: string } } };
}

describe('document step with an uploaded photo', () => {
  it('reads the passport, shows the fields to confirm and keeps the correction beside the read value', async () => {
    const { token, sessionId } = await createSession(server.url, { locale: 'en' });
    const a = await connectApplicant(server.url, token);
    try {
      await a.emitAck('session:begin', {});
      await a.waitForView((v) => v.prompt?.stepId === 'consent_recording');
      // Before the document step nothing takes a photo.
      expect((await upload(token, await renderDocumentPage(td3Lines(SAMPLE_HOLDER)))).body.error?.code).toBe('not_expecting_upload');
      await a.emitAck('dialogue:answer', { stepId: 'consent_recording', choice: 'yes' });
      await a.waitForView((v) => v.prompt?.input.type === 'document');

      expect(await upload(token, new TextEncoder().encode('not an image'), 'image/jpeg')).toMatchObject({ status: 415 });
      expect(await upload(token, await renderDocumentPage(td3Lines(SAMPLE_HOLDER)))).toMatchObject({ status: 202 });
      const confirm = await a.waitForView((v) => v.prompt?.input.type === 'confirm', 60_000);
      const input = confirm.prompt!.input as { type: 'confirm'; fields: { name: string; value: string }[] };
      const fields = Object.fromEntries(input.fields.map((f) => [f.name, f.value]));
      expect(fields).toMatchObject({ surname: 'MARTIN', givenNames: 'CLARA JANE', documentNumber: 'X4R829156', birthDate: '1988-03-14', nationality: 'NLD' });

      expect(await a.emitAck('dialogue:answer', { stepId: 'id_document', choice: 'confirm', fields: { givenNames: 'CLARA-JANE' } })).toEqual({ ok: true });
      await a.waitForView((v) => v.prompt?.input.type === 'liveness');
    } finally {
      a.close();
    }
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const events = store.events.list(sessionId);
      const read = events.find((e) => e.type === 'VerifierFinished' && (e.payload as { verifier: string }).verifier === 'document')?.payload as {
        outcome: string;
        data: { fields: Record<string, string>; imageArtifactId: string; faceArtifactId: string | null };
      };
      expect(read.outcome).toBe('pass');
      expect(read.data.fields.givenNames).toBe('CLARA JANE');
      const correction = events.find((e) => e.type === 'AnswerReceived' && (e.payload as { stepId: string }).stepId === 'id_document')?.payload as {
        fields: Record<string, string>;
      };
      expect(correction.fields).toEqual({ givenNames: 'CLARA-JANE' });
      const kinds = store.artifacts.list(sessionId).map((x) => x.kind);
      expect(kinds).toContain('document-image');
      expect(kinds).toContain('document-face');
      expect(store.events.verifyChain(sessionId).ok).toBe(true);
    } finally {
      store.close();
    }
  });
});
