/**
 * Turn-taking with the providers replaced by small deterministic ones (the real espeak-ng and
 * pocketsphinx are exercised in tests/integration/voice.test.ts and the browser test): speaking,
 * barge-in, a spoken turn becoming an answer with its timing, bounded re-prompts, input hints.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import type { AudioChunk, MediaSession } from '../media/index.ts';
import type { VoiceServerMessage } from './protocol.ts';
import { SessionVoice, type SessionVoiceDeps } from './session-voice.ts';
import type { SpeechToText } from './stt/types.ts';
import type { SpeechClip, TextToSpeech } from './tts/types.ts';

const YESNO = { type: 'yesno' as const, yesLabel: 'Yes', noLabel: 'No' };

/** Speech whose length is 60 ms per character, silent samples, one viseme. */
const tts: TextToSpeech = {
  name: 'fake',
  capabilities: { timings: true, locales: ['en', 'zh-CN'], offline: true },
  async speak(text): Promise<SpeechClip> {
    const durationMs = text.length * 60;
    return { samples: new Int16Array(16 * durationMs), sampleRate: 16_000, durationMs, words: [], visemes: [{ viseme: 'open', atMs: 0 }], timing: 'phonemes' };
  },
  async close() {},
};

function recognizer(text: string): SpeechToText {
  return { name: 'fake-stt', capabilities: { locales: ['en'], freeSpeech: false, offline: true }, transcribe: async () => ({ text, words: [] }) };
}

function tone(ms: number, t0: number): AudioChunk[] {
  const chunks: AudioChunk[] = [];
  for (let at = 0; at < ms; at += 100) {
    const samples = new Int16Array(4800);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(9000 * Math.sin((2 * Math.PI * 200 * (at * 48 + i)) / 48_000));
    chunks.push({ samples, sampleRate: 48_000, channels: 1, timestampMs: t0 + at });
  }
  return chunks;
}

function silence(ms: number, t0: number): AudioChunk[] {
  const chunks: AudioChunk[] = [];
  for (let at = 0; at < ms; at += 100) chunks.push({ samples: new Int16Array(4800), sampleRate: 48_000, channels: 1, timestampMs: t0 + at });
  return chunks;
}

function setup(overrides: Partial<SessionVoiceDeps> = {}) {
  const sent: AudioChunk[] = [];
  let cleared = 0;
  const media = { sendAudio: (c: AudioChunk) => sent.push(c), clearAudio: () => cleared++ } as unknown as MediaSession;
  const messages: VoiceServerMessage[] = [];
  const facts: { type: string; payload: Record<string, unknown> }[] = [];
  const answers: { stepId: string; text: string }[] = [];
  let mic: ((chunk: AudioChunk) => void) | null = null;
  const voice = new SessionVoice({
    sessionId: 's1',
    tts,
    stt: recognizer('yes'),
    sttProblem: null,
    media: () => media,
    audio: (listener) => {
      mic = listener;
      return () => {
        mic = null;
      };
    },
    publish: (m) => messages.push(m),
    record: async (type, payload) => void facts.push({ type, payload }),
    answer: async (stepId, text) => {
      answers.push({ stepId, text });
      return { accepted: true };
    },
    lastLine: () => 'Do you agree?',
    repromptMs: 60_000,
    maxReprompts: 2,
    logger: silentLogger(),
    ...overrides,
  });
  const speak = (chunks: AudioChunk[]) => chunks.forEach((c) => mic?.(c));
  return { voice, sent, messages, facts, answers, speak, cleared: () => cleared, listening: () => mic !== null };
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('session voice', () => {
  it('speaks lines back to back on one run, with segment offsets on its timeline', async () => {
    const { voice, sent, messages } = setup();
    voice.say({ lineId: 'l1', stepId: 'a', text: 'Hello there. Welcome.', locale: 'en' });
    voice.say({ lineId: 'l2', stepId: 'b', text: 'Do you agree?', locale: 'en' });
    await until(() => messages.filter((m) => m.type === 'say').length === 3);
    const says = messages.filter((m): m is Extract<VoiceServerMessage, { type: 'say' }> => m.type === 'say');
    expect(new Set(says.map((s) => s.runId)).size).toBe(1);
    expect(says.map((s) => s.segment.text)).toEqual(['Hello there.', 'Welcome.', 'Do you agree?']);
    expect(says.map((s) => s.segment.offsetMs)).toEqual([0, 720, 720 + 480]);
    expect(says[1]!.segment.lineOffset).toBe(13);
    expect(sent).toHaveLength(3);
    voice.close();
  });

  it('listens while a question waits and hands the spoken words over like a typed answer', async () => {
    const { voice, answers, facts, speak, listening } = setup();
    voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'en');
    expect(listening()).toBe(true);
    const t0 = Date.now();
    speak([...silence(300, t0), ...tone(500, t0 + 300), ...silence(800, t0 + 800)]);
    await until(() => answers.length === 1);
    expect(answers[0]).toEqual({ stepId: 'consent', text: 'yes' });
    const heard = facts.find((f) => f.type === 'SpeechTranscribed')!;
    expect(heard.payload).toMatchObject({ stepId: 'consent', text: 'yes', recognizer: 'fake-stt', grammar: 'yesno' });
    expect(Date.parse(String(heard.payload.speechEndedAt)) - t0).toBeGreaterThanOrEqual(780);
    expect(Date.parse(String(heard.payload.speechEndedAt)) - t0).toBeLessThanOrEqual(840);
    voice.close();
  });

  it('stops talking when the applicant speaks over it (barge-in), and times the reply once the browser plays it', async () => {
    const { voice, messages, facts, speak, cleared, answers } = setup();
    voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'en');
    voice.say({ lineId: 'l1', stepId: 'consent', text: 'A very long question that takes seconds to say, do you agree?', locale: 'en' });
    await until(() => messages.some((m) => m.type === 'say'));
    const run = (messages.find((m) => m.type === 'say') as Extract<VoiceServerMessage, { type: 'say' }>).runId;
    // The chunks are pushed at once; their timestamps say they were spoken over the last 2 s.
    const t0 = Date.now() - 2000;
    speak(tone(500, t0));
    expect(cleared()).toBe(1);
    expect(messages).toContainEqual({ type: 'stop', runId: run, reason: 'barge-in' });
    await until(() => facts.some((f) => f.type === 'AssistantInterrupted'));
    speak(silence(800, t0 + 500));
    await until(() => answers.length === 1);
    // The session's reply to the answer: its first audio completes the turn's timing.
    voice.say({ lineId: 'l2', stepId: 'next', text: 'Thank you.', locale: 'en' });
    await until(() => messages.filter((m) => m.type === 'say').length === 2);
    const reply = messages.filter((m) => m.type === 'say').at(-1) as Extract<VoiceServerMessage, { type: 'say' }>;
    expect(reply.runId).not.toBe(run);
    voice.played(reply.runId, 120);
    await until(() => facts.some((f) => f.type === 'VoiceTurnTimed'));
    const timed = facts.find((f) => f.type === 'VoiceTurnTimed')!.payload;
    expect(timed).toMatchObject({ stepId: 'consent', playoutMs: 120, recognizer: 'fake-stt' });
    expect(timed.totalMs as number).toBeGreaterThan(120);
    expect((timed.totalMs as number) - (timed.recognitionMs as number) - (timed.decisionMs as number) - (timed.synthesisMs as number)).toBe(120);
    voice.close();
  });

  it('asks again after silence, no more often than allowed', async () => {
    const { voice, facts, messages } = setup({ repromptMs: 40, maxReprompts: 2 });
    voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'en');
    await until(() => facts.filter((f) => f.type === 'VoiceReprompted').length === 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(facts.filter((f) => f.type === 'VoiceReprompted').map((f) => f.payload.count)).toEqual([1, 2]);
    expect(messages.filter((m) => m.type === 'say').map((m) => (m as Extract<VoiceServerMessage, { type: 'say' }>).segment.text)).toEqual(['Do you agree?', 'Do you agree?']);
    voice.close();
  });

  it('drops a long voiced stretch as noise for a grammar recognizer (a TV, a tone)', async () => {
    const { voice, answers, speak } = setup();
    voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'en');
    const t0 = Date.now();
    speak([...tone(5000, t0), ...silence(800, t0 + 5000)]);
    await new Promise((r) => setTimeout(r, 100));
    expect(answers).toHaveLength(0);
    voice.close();
  });

  it('says why voice answers are off: no recognizer, a step that needs typing, text-only', () => {
    const none = setup({ stt: null, sttProblem: 'pocketsphinx_continuous is not installed' });
    none.voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'en');
    expect(none.messages.at(-1)).toEqual({ type: 'listen', stepId: null, hint: 'no-recognizer' });
    expect(none.listening()).toBe(false);

    const grammarOnly = setup();
    grammarOnly.voice.setAwaiting({ stepId: 'name', input: { type: 'text', maxLength: 100 } }, 'en');
    expect(grammarOnly.messages.at(-1)).toEqual({ type: 'listen', stepId: null, hint: 'step-needs-typing' });
    grammarOnly.voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'zh-CN');
    expect(grammarOnly.messages.at(-1)).toEqual({ type: 'listen', stepId: null, hint: 'no-recognizer' });

    const textOnly = setup();
    textOnly.voice.setAwaiting({ stepId: 'consent', input: YESNO }, 'en');
    expect(textOnly.listening()).toBe(true);
    textOnly.voice.setTextOnly(true);
    expect(textOnly.listening()).toBe(false);
    expect(textOnly.messages).toContainEqual({ type: 'listen', stepId: null, hint: 'text-only' });
    for (const s of [none, grammarOnly, textOnly]) s.voice.close();
  });
});
