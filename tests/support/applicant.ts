/** A scripted applicant over socket.io (no browser): what the integration tests drive. */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientError, SessionView } from '../../server/http/protocol.ts';
import { signaturePng } from './contract-evidence.ts';

export interface Applicant {
  /** The server and the session token this applicant connected with. */
  url: string;
  token: string;
  socket: Socket;
  views: SessionView[];
  errors: ClientError[];
  latest(): SessionView;
  waitForView(predicate: (view: SessionView) => boolean, timeoutMs?: number): Promise<SessionView>;
  emitAck(event: string, message: unknown): Promise<{ ok: boolean; error?: ClientError }>;
  close(): void;
}

export async function createSession(url: string, body: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create session: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { sessionId: string; reference: string; token: string; link: string; expiresAt: string };
}

export function connectApplicant(
  url: string,
  token: string,
  options: { clientId?: string; takeover?: boolean } = {},
): Promise<Applicant> {
  const socket = io(url, {
    auth: { token, clientId: options.clientId ?? randomUUID(), ...(options.takeover ? { takeover: true } : {}) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const views: SessionView[] = [];
  const errors: ClientError[] = [];
  const waiters = new Set<() => void>();
  socket.on('session:view', (view: SessionView) => {
    views.push(view);
    for (const w of [...waiters]) w();
  });
  socket.on('app:error', (error: ClientError) => errors.push(error));
  const applicant: Applicant = {
    url,
    token,
    socket,
    views,
    errors,
    latest() {
      const v = views.at(-1);
      if (!v) throw new Error('no view received yet');
      return v;
    },
    waitForView(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const v = views.at(-1);
          if (v && predicate(v)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(v);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`view condition not met in ${timeoutMs} ms; last view: ${JSON.stringify(views.at(-1)?.prompt ?? null)} status ${views.at(-1)?.status}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    emitAck(event, message) {
      return socket.timeout(10_000).emitWithAck(event, message) as Promise<{ ok: boolean; error?: ClientError }>;
    },
    close() {
      socket.close();
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(applicant));
    socket.once('connect_error', (error: Error & { data?: ClientError }) => {
      socket.close();
      reject(Object.assign(new Error(error.message), { data: error.data }));
    });
  });
}

/** Uploads a drawn-looking PNG signature for the session's contract step; returns its artifact id. */
export async function uploadSignature(url: string, token: string, png?: Uint8Array): Promise<string> {
  const res = await fetch(`${url}/api/sessions/${token}/signature`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: Buffer.from(png ?? (await signaturePng())),
  });
  if (res.status !== 201) throw new Error(`signature upload: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { artifactId: string }).artifactId;
}

type AnswerOut = { stepId: string; text?: string; choice?: string; fields?: Record<string, string> };

/**
 * An answer that the default script accepts for the prompt on screen. At a contract step it
 * needs the id of an uploaded signature (`uploadSignature`); `answerOn` does both.
 */
export function answerFor(view: SessionView, signatureArtifactId?: string): AnswerOut {
  const prompt = view.prompt;
  if (!prompt) throw new Error('no prompt on screen');
  if (prompt.input.type === 'contract') {
    if (signatureArtifactId === undefined) throw new Error('a contract step needs an uploaded signature (use answerOn)');
    return { stepId: prompt.stepId, choice: 'sign', text: prompt.input.statement, fields: { signatureArtifactId } };
  }
  if (prompt.input.type === 'yesno') return { stepId: prompt.stepId, choice: 'yes' };
  if (/birth|dob|date/i.test(prompt.stepId)) return { stepId: prompt.stepId, text: '1990-04-12' };
  return { stepId: prompt.stepId, text: 'Jane Example' };
}

/** The answer for the prompt on screen, uploading a signature first at a contract step. */
export async function answerOn(applicant: Applicant, view: SessionView): Promise<AnswerOut> {
  if (view.prompt?.input.type !== 'contract') return answerFor(view);
  return answerFor(view, await uploadSignature(applicant.url, applicant.token));
}

/** A prompt the applicant can answer (not a wait while the server checks or seals something). */
export const answerable = (v: SessionView) => (v.prompt !== null && v.prompt.input.type !== 'none') || v.status !== 'active';

/** Answers every prompt until the session ends; returns the final view. */
export async function completeSession(applicant: Applicant, maxTurns = 30): Promise<SessionView> {
  for (let turn = 0; turn < maxTurns; turn++) {
    const view = await applicant.waitForView(answerable, 20_000);
    if (view.status !== 'active') return view;
    const seen = applicant.views.length;
    const result = await applicant.emitAck('dialogue:answer', await answerOn(applicant, view));
    if (!result.ok) throw new Error(`answer refused: ${JSON.stringify(result.error)}`);
    await applicant.waitForView(() => applicant.views.length > seen);
  }
  throw new Error('session did not end');
}
