/**
 * Voice test data the tests make themselves: spoken answers synthesized with the project's own
 * offline voice (espeak-ng), fake-microphone WAVs that play them at intervals, and a short script
 * of yes/no questions (consent, free will, for yourself) to answer by voice.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from '../../server/http/protocol.ts';
import { silentLogger } from '../../server/log.ts';
import { EspeakSpeech } from '../../server/voice/index.ts';

export const VOICE_SCRIPT_ID = 'voice-check';

const VOICE_SCRIPT = `# Written by tests/support/voice.ts: yes/no questions only, answered by voice in tests.
id: ${VOICE_SCRIPT_ID}
title:
  en: Voice check
locales: [en]
steps:
  - id: consent_recording
    kind: consent
    purpose: recording
    text:
      en: This session will be recorded. Do you agree?
    yesLabel:
      en: Yes, I agree
    noLabel:
      en: No
    reask:
      en: Sorry, please answer yes or no.
    declined:
      en: Understood. We will stop here.
    maxAttempts: 3
    onFail: needs_review
  - id: voluntary
    kind: intent
    expect: affirm
    purpose: voluntary
    text:
      en: Are you applying of your own free will?
    maxAttempts: 3
    onMismatch: declined_not_free
    onFail: needs_review
  - id: for_yourself
    kind: intent
    expect: affirm
    purpose: for-self
    text:
      en: Is this loan for yourself?
    maxAttempts: 3
    onMismatch: declined_not_free
    onFail: needs_review
  - id: goodbye
    kind: end
    outcome: completed
    text:
      en: Thank you, that's everything. Goodbye!
  - id: declined_not_free
    kind: end
    outcome: declined
    reason: not the applicant's own free choice
    text:
      en: Thank you for telling me. We will stop here.
  - id: needs_review
    kind: end
    outcome: review
    reason: the applicant could not complete a step
    text:
      en: Thank you. A member of our team will contact you.
`;

/** A scripts folder holding the default scripts plus the voice-check script. */
export function writeVoiceScripts(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync('prompts/scripts')) {
    if (file.endsWith('.yaml')) fs.copyFileSync(path.join('prompts/scripts', file), path.join(dir, file));
  }
  fs.writeFileSync(path.join(dir, `${VOICE_SCRIPT_ID}.yaml`), VOICE_SCRIPT);
  return dir;
}

/** Speaks each text with the offline voice; 48 kHz mono PCM per text. */
export async function synthesize(texts: { text: string; locale: Locale }[]): Promise<Int16Array[]> {
  const tts = new EspeakSpeech(silentLogger());
  await tts.start();
  try {
    const out: Int16Array[] = [];
    for (const { text, locale } of texts) {
      const clip = await tts.speak(text, { locale });
      out.push(resample(clip.samples, clip.sampleRate, 48_000));
    }
    return out;
  } finally {
    await tts.close();
  }
}

export function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const out = new Int16Array(Math.floor((samples.length * to) / from));
  for (let i = 0; i < out.length; i++) {
    const x = (i * from) / to;
    const j = Math.floor(x);
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

/** Reads a 16-bit PCM WAV (mono or the first channel) and returns it at 48 kHz. */
export function readWav48k(file: string): Int16Array {
  const bytes = fs.readFileSync(file);
  let offset = 12;
  let rate = 0;
  let channels = 1;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(offset + 10);
      rate = bytes.readUInt32LE(offset + 12);
      if (bytes.readUInt16LE(offset + 22) !== 16) throw new Error(`${file}: only 16-bit PCM WAV is supported`);
    } else if (id === 'data') {
      const frames = Math.floor(size / 2 / channels);
      const mono = new Int16Array(frames);
      for (let i = 0; i < frames; i++) mono[i] = bytes.readInt16LE(offset + 8 + i * 2 * channels);
      return resample(mono, rate, 48_000);
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no audio data`);
}

/**
 * A fake-microphone WAV (48 kHz mono): `leadMs` of silence, then each clip followed by `gapMs` of
 * silence. Chromium loops the file, so the answers repeat.
 */
export function writeMicWav(file: string, clips: Int16Array[], options: { leadMs: number; gapMs: number }): { clipStartsMs: number[]; periodMs: number } {
  const rate = 48_000;
  const silence = (ms: number) => new Int16Array(Math.round((rate * ms) / 1000));
  const parts: Int16Array[] = [silence(options.leadMs)];
  const clipStartsMs: number[] = [];
  let at = options.leadMs;
  for (const clip of clips) {
    clipStartsMs.push(at);
    parts.push(clip, silence(options.gapMs));
    at += (clip.length * 1000) / rate + options.gapMs;
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const data = Buffer.alloc(total * 2);
  let o = 0;
  for (const p of parts) for (const s of p) o = data.writeInt16LE(s, o);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
  return { clipStartsMs, periodMs: at };
}

/** True when Debian's pocketsphinx and its English model are installed. */
export function pocketsphinxInstalled(): boolean {
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, 'pocketsphinx_continuous')));
  return onPath && fs.existsSync('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict');
}

/**
 * Whether tests that need pocketsphinx run: skipped with a printed line when it is missing, and a
 * failure instead with E2E_REQUIRED=1 (as .ci/run sets, after installing it).
 */
export function pocketsphinxAvailability(): { available: boolean; reason: string } {
  if (pocketsphinxInstalled()) return { available: true, reason: '' };
  const reason = 'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)';
  if (process.env.E2E_REQUIRED === '1') throw new Error(`E2E_REQUIRED=1 but voice recognition tests cannot run: ${reason}`);
  console.warn(`voice recognition tests skipped: ${reason}`);
  return { available: false, reason };
}
