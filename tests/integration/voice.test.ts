/**
 * The speech providers for real: the offline voice (espeak-ng in its own process), pocketsphinx
 * on answers spoken by that voice (skipped cleanly when it is not installed, a failure with
 * E2E_REQUIRED=1), the OpenAI speech and transcription providers through the real `openai`
 * client against a local stub server, and what the server tells a client when voice input is off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/log.ts';
import { EspeakSpeech } from '../../server/voice/index.ts';
import { toSixteenKhz } from '../../server/voice/stt/endpoint.ts';
import { grammarFor, meaningOf } from '../../server/voice/stt/grammar.ts';
import { OpenAiTranscription } from '../../server/voice/stt/openai.ts';
import { PocketsphinxRecognizer } from '../../server/voice/stt/pocketsphinx.ts';
import { FallbackSpeech, OpenAiSpeech } from '../../server/voice/tts/openai.ts';
import type { VoiceServerMessage } from '../../server/voice/protocol.ts';
import { connectApplicant, createSession } from '../support/applicant.ts';
import { startTestServer } from '../support/attest.ts';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub-server.ts';
import { pocketsphinxAvailability, readWav48k } from '../support/voice.ts';

const YES_NO = grammarFor({ type: 'yesno', yesLabel: 'Yes', noLabel: 'No' }, 'en')!;
const FIXTURES = path.resolve('../shared/fixtures/speech/yes-no');

describe('offline voice (espeak-ng)', () => {
  const tts = new EspeakSpeech(silentLogger());
  beforeAll(() => tts.start());
  afterAll(() => tts.close());

  it('speaks English with word timings and visemes on the audio timeline', async () => {
    const text = 'Do you agree to this session being recorded?';
    const clip = await tts.speak(text, { locale: 'en' });
    expect(clip.sampleRate).toBe(22_050);
    expect(clip.durationMs).toBeGreaterThan(1500);
    expect(clip.timing).toBe('phonemes');
    expect(clip.words.map((w) => w.text)).toEqual(['Do', 'you', 'agree', 'to', 'this', 'session', 'being', 'recorded']);
    expect(clip.words.every((w, i) => w.endMs >= w.startMs && (i === 0 || w.startMs >= clip.words[i - 1]!.startMs))).toBe(true);
    expect(text.slice(clip.words[2]!.from, clip.words[2]!.to)).toBe('agree');
    expect(new Set(clip.visemes.map((v) => v.viseme)).size).toBeGreaterThan(3);
    expect(clip.visemes.at(-1)!.atMs).toBeLessThanOrEqual(clip.durationMs);
    let peak = 0;
    for (const s of clip.samples) peak = Math.max(peak, Math.abs(s));
    expect(peak).toBeGreaterThan(3000);
  });

  it('speaks Mandarin for zh-CN, one cue per character', async () => {
    const clip = await tts.speak('请问您是否同意录音录像？', { locale: 'zh-CN' });
    expect(clip.durationMs).toBeGreaterThan(1000);
    expect(clip.words.length).toBeGreaterThanOrEqual(5);
    expect(clip.words.every((w) => /^\p{Script=Han}+$/u.test(w.text))).toBe(true);
  });

  it('answers requests made at the same time, each with its own audio', async () => {
    const [a, b] = await Promise.all([tts.speak('Yes.', { locale: 'en' }), tts.speak('No, I do not agree with that.', { locale: 'en' })]);
    expect(b!.durationMs).toBeGreaterThan(a!.durationMs);
  });
});

describe.skipIf(!pocketsphinxAvailability().available)('offline recognition (pocketsphinx with a yes/no grammar)', () => {
  const stt = new PocketsphinxRecognizer({ binary: 'pocketsphinx_continuous', modelDir: '/usr/share/pocketsphinx/model/en-us' });
  const tts = new EspeakSpeech(silentLogger());
  beforeAll(() => tts.start());
  afterAll(() => tts.close());

  async function spoken(text: string): Promise<Int16Array> {
    const clip = await tts.speak(text, { locale: 'en' });
    // 16 kHz for the recognizer (espeak speaks at 22.05 kHz), with silence around it as in a turn.
    const pcm = toSixteenKhz(clip.samples, clip.sampleRate);
    const padded = new Int16Array(pcm.length + 6400);
    padded.set(pcm, 3200);
    return padded;
  }

  it.each([
    ['Yes.', 'yes'],
    ['No.', 'no'],
    ['Yes, I do.', 'yes'],
    ["No, I don't.", 'no'],
    ['I agree.', 'yes'],
  ])('hears "%s" as %s', async (text, meaning) => {
    const transcript = await stt.transcribe(await spoken(text), { locale: 'en', grammar: YES_NO });
    expect(meaningOf(YES_NO, transcript.text)).toBe(meaning);
    expect(transcript.words.length).toBeGreaterThan(0);
  });

  it('hears nothing in silence', async () => {
    const transcript = await stt.transcribe(new Int16Array(16_000), { locale: 'en', grammar: YES_NO });
    expect(transcript.text === '' || transcript.words.every((w) => w.endMs - w.startMs < 120)).toBe(true);
  });

  it.skipIf(!fs.existsSync(FIXTURES))('hears the public yes/no recordings (../shared/fixtures/speech/yes-no)', async () => {
    for (const [file, meaning] of [['yes_1000ms.wav', 'yes'], ['no_1000ms.wav', 'no']] as const) {
      const pcm = toSixteenKhz(readWav48k(path.join(FIXTURES, file)), 48_000);
      const transcript = await stt.transcribe(pcm, { locale: 'en', grammar: YES_NO });
      expect(meaningOf(YES_NO, transcript.text)).toBe(meaning);
    }
  });

  it('refuses to run without a grammar', async () => {
    await expect(stt.transcribe(new Int16Array(1600), { locale: 'en', grammar: null })).rejects.toThrow(/grammar/);
  });
});

describe('OpenAI-compatible speech through the real openai client', () => {
  let stub: OpenAiStub;
  beforeAll(async () => {
    stub = await startOpenAiStub();
  });
  afterAll(() => stub.close());

  it('synthesizes a line as raw PCM, with visemes and words from the envelope', async () => {
    const tts = new OpenAiSpeech({ baseURL: stub.baseURL, apiKey: 'test-key', model: 'valid', voice: 'alloy', timeoutMs: 2000 });
    const clip = await tts.speak('Hello there.', { locale: 'en' });
    expect(Array.from(clip.samples)).toEqual(Array.from(stub.speechPcm));
    expect(clip.sampleRate).toBe(24_000);
    expect(clip.timing).toBe('envelope');
    expect(clip.visemes.some((v) => v.viseme === 'open' || v.viseme === 'wide')).toBe(true);
    expect(clip.words.map((w) => w.text)).toEqual(['Hello', 'there.']);
    const request = stub.requests.at(-1)!;
    expect(request.path).toBe('/v1/audio/speech');
    expect(request.body).toMatchObject({ model: 'valid', voice: 'alloy', input: 'Hello there.', response_format: 'pcm' });
  });

  it('falls back to the offline voice when the service fails', async () => {
    const offline = new EspeakSpeech(silentLogger());
    await offline.start();
    const failures: unknown[] = [];
    try {
      const tts = new FallbackSpeech(new OpenAiSpeech({ baseURL: stub.baseURL, apiKey: 'k', model: 'http500', voice: 'alloy', timeoutMs: 2000 }), offline, (e) => failures.push(e));
      const clip = await tts.speak('Hello there.', { locale: 'en' });
      expect(clip.timing).toBe('phonemes');
      expect(failures).toHaveLength(1);
    } finally {
      await offline.close();
    }
  });

  it('transcribes an utterance as a WAV upload, with the language and the expected answers as a hint', async () => {
    const stt = new OpenAiTranscription({ baseURL: stub.baseURL, apiKey: 'test-key', model: 'valid', timeoutMs: 2000 });
    const pcm = Int16Array.from({ length: 8000 }, (_, i) => Math.round(5000 * Math.sin(i / 5)));
    const transcript = await stt.transcribe(pcm, { locale: 'en', grammar: YES_NO });
    expect(transcript.text).toBe('yes i do');
    const request = stub.requests.at(-1)!;
    expect(request.path).toBe('/v1/audio/transcriptions');
    expect(request.body).toMatchObject({ model: 'valid', language: 'en', fileStart: 'RIFF', fileBytes: 44 + 16_000 });
    expect(String(request.body.prompt)).toContain('yes');
  });

  it('rejects when the transcription service fails', async () => {
    const stt = new OpenAiTranscription({ baseURL: stub.baseURL, apiKey: 'k', model: 'http500', timeoutMs: 2000 });
    await expect(stt.transcribe(new Int16Array(1600), { locale: 'zh-CN', grammar: null })).rejects.toThrow();
  });
});

describe('voice input switched off', () => {
  it('starts without a recognizer and tells the client to type, with the reason', async () => {
    const server = await startTestServer({ ATTEST_STT_PROVIDER: 'auto', ATTEST_POCKETSPHINX_PATH: '/nonexistent/pocketsphinx_continuous' });
    try {
      const { token } = await createSession(server.url);
      const applicant = await connectApplicant(server.url, token);
      const messages: VoiceServerMessage[] = [];
      applicant.socket.on('voice', (m: VoiceServerMessage) => messages.push(m));
      await applicant.waitForView(() => true);
      // The client states its text-only wish on connect; the server answers with the voice status.
      applicant.socket.emit('voice', { type: 'text-only', enabled: false });
      await expect.poll(() => messages.find((m) => m.type === 'status')).toMatchObject({ type: 'status', speaking: true, listening: false, recognizer: null, reason: 'no-recognizer' });
      // An invalid voice message gets an error naming the field; the connection stays usable.
      applicant.socket.emit('voice', { type: 'played', runId: '', afterSayMs: 5 });
      await expect.poll(() => applicant.errors.at(-1)?.message ?? '').toMatch(/voice\.runId/);
      expect((await applicant.emitAck('session:begin', { locale: 'en' })).ok).toBe(true);
      await expect.poll(() => messages.some((m) => m.type === 'say')).toBe(true);
      applicant.close();
    } finally {
      await server.stop();
    }
  });

  it('refuses to start when pocketsphinx is required but missing', async () => {
    await expect(startTestServer({ ATTEST_STT_PROVIDER: 'pocketsphinx', ATTEST_POCKETSPHINX_PATH: '/nonexistent/pocketsphinx_continuous' })).rejects.toThrow(/ATTEST_STT_PROVIDER=pocketsphinx: .*not installed/);
  });
});
