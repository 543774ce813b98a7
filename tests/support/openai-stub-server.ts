/**
 * A local OpenAI-compatible chat completions server for tests (node:http on 127.0.0.1, a free
 * port). The request's `model` picks the behaviour, so one server serves every case:
 *
 * - `valid`: a structured reply (the test sets it with `reply`);
 * - `malformed`: content that is not JSON;
 * - `schema`: JSON that does not match the schema;
 * - `refusal`: a refusal message and no content;
 * - `slow`: answers after `slowMs` (longer than the client's timeout);
 * - `http500`: an HTTP 500 with an OpenAI-style error body.
 *
 * Speech endpoints (same models): `POST /audio/speech` answers `valid` with `speechPcm` as raw
 * 24 kHz PCM; `POST /audio/transcriptions` (multipart) answers `valid` with `{text: transcript}`,
 * and keeps the form fields and the uploaded file's size and first bytes.
 *
 * Requests are kept (parsed bodies) so tests can check what the client sent.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenAiStub {
  /** Pass as the client's baseURL. */
  baseURL: string;
  requests: { path: string; body: Record<string, unknown> }[];
  /** The JSON object the `valid` model answers with. */
  reply: Record<string, unknown>;
  slowMs: number;
  /** What `/audio/speech` returns for model `valid` (16-bit mono, 24 kHz). */
  speechPcm: Int16Array;
  /** What `/audio/transcriptions` returns for model `valid`. */
  transcript: string;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function completion(model: string, message: { content: string | null; refusal: string | null }) {
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startOpenAiStub(): Promise<OpenAiStub> {
  const timers = new Set<NodeJS.Timeout>();
  const stub: Omit<OpenAiStub, 'baseURL' | 'close'> = {
    requests: [],
    reply: { label: 'affirm', coercion_signals: [], injection: false, confidence: 0.9, rationale: 'clear yes' },
    slowMs: 2_000,
    speechPcm: Int16Array.from({ length: 12_000 }, (_, i) => Math.round(10_000 * Math.sin(i / 4) * Math.sin((Math.PI * i) / 12_000))),
    transcript: 'yes i do',
  };
  const server = createServer((request, response) => {
    void (async () => {
      const bytes = await readBody(request);
      if ((request.url ?? '').endsWith('/audio/transcriptions')) {
        const form = bytes.toString('latin1');
        const field = (name: string) => new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)`).exec(form)?.[1];
        const file = /name="file"[^]*?\r\n\r\n([^]*?)\r\n--/.exec(form)?.[1] ?? '';
        const body = { model: field('model'), language: field('language'), prompt: field('prompt'), fileBytes: file.length, fileStart: file.slice(0, 4) };
        stub.requests.push({ path: request.url ?? '', body });
        if (body.model === 'valid') send(response, 200, { text: stub.transcript });
        else send(response, 500, { error: { message: 'internal error', type: 'server_error' } });
        return;
      }
      const raw = bytes.toString('utf8');
      const body = (raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
      stub.requests.push({ path: request.url ?? '', body });
      if (request.method === 'POST' && (request.url ?? '').endsWith('/audio/speech')) {
        if (body.model === 'valid') {
          response.writeHead(200, { 'content-type': 'audio/pcm' });
          response.end(Buffer.from(stub.speechPcm.buffer, stub.speechPcm.byteOffset, stub.speechPcm.byteLength));
        } else send(response, 500, { error: { message: 'internal error', type: 'server_error' } });
        return;
      }
      if (request.method !== 'POST' || !(request.url ?? '').endsWith('/chat/completions')) {
        send(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
        return;
      }
      const model = typeof body.model === 'string' ? body.model : '';
      switch (model) {
        case 'valid':
          send(response, 200, completion(model, { content: JSON.stringify(stub.reply), refusal: null }));
          return;
        case 'malformed':
          send(response, 200, completion(model, { content: '{"label": "affirm", "confidence": 0.9', refusal: null }));
          return;
        case 'schema':
          send(response, 200, completion(model, { content: JSON.stringify({ label: 'approve', confidence: 2 }), refusal: null }));
          return;
        case 'refusal':
          send(response, 200, completion(model, { content: null, refusal: "I'm sorry, I can't help with that." }));
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send(response, 200, completion(model, { content: JSON.stringify(stub.reply), refusal: null }));
          }, stub.slowMs);
          timers.add(timer);
          return;
        }
        case 'http500':
        default:
          send(response, 500, { error: { message: 'internal error', type: 'server_error' } });
      }
    })().catch(() => send(response, 400, { error: { message: 'bad request', type: 'invalid_request_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
