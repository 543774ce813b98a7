/**
 * Voice configuration, parsed from the environment once (server/config.ts calls this). Cloud
 * speech is off by default; the offline voice (espeak-ng) always works, and offline listening
 * uses Debian's pocketsphinx when it is installed.
 */
import { z } from 'zod';

export const ZVoiceOptions = z.object({
  tts: z.enum(['espeak', 'openai', 'none']),
  /** `auto`: pocketsphinx when installed, else typed answers only (startup says why). */
  stt: z.enum(['auto', 'pocketsphinx', 'openai', 'none']),
  /** OpenAI-compatible speech endpoint, for `openai` TTS and STT. */
  openai: z
    .object({
      baseURL: z.string().url(),
      apiKey: z.string().min(1),
      ttsModel: z.string().min(1),
      ttsVoice: z.string().min(1),
      sttModel: z.string().min(1),
      timeoutMs: z.number().int().min(100).max(120_000),
    })
    .nullable(),
  pocketsphinx: z.object({ binary: z.string().min(1), modelDir: z.string().min(1) }),
  /** Silence after a question before the assistant asks again, and how often it may. */
  repromptMs: z.number().int().min(2000).max(600_000),
  maxReprompts: z.number().int().min(0).max(5),
});
export type VoiceOptions = z.infer<typeof ZVoiceOptions>;

export function voiceOptionsFromEnv(env: Record<string, string | undefined>): { ok: true; options: VoiceOptions } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const tts = env.ATTEST_TTS_PROVIDER ?? 'espeak';
  const stt = env.ATTEST_STT_PROVIDER ?? 'auto';
  if (!['espeak', 'openai', 'none'].includes(tts)) problems.push(`ATTEST_TTS_PROVIDER must be espeak, openai or none, not '${tts}'`);
  if (!['auto', 'pocketsphinx', 'openai', 'none'].includes(stt)) problems.push(`ATTEST_STT_PROVIDER must be auto, pocketsphinx, openai or none, not '${stt}'`);
  const wantsCloud = tts === 'openai' || stt === 'openai';
  if (wantsCloud) {
    for (const name of ['ATTEST_SPEECH_BASE_URL', 'ATTEST_SPEECH_API_KEY']) {
      if ((env[name] ?? '').trim() === '') problems.push(`${name} is not set (needed by the openai speech provider)`);
    }
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name] ?? String(fallback);
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const timeoutMs = int('ATTEST_SPEECH_TIMEOUT_MS', 5000, 100, 120_000);
  const repromptSeconds = int('ATTEST_VOICE_REPROMPT_SECONDS', 12, 2, 600);
  const maxReprompts = int('ATTEST_VOICE_MAX_REPROMPTS', 2, 0, 5);
  if (problems.length > 0) return { ok: false, problems };
  const parsed = ZVoiceOptions.safeParse({
    tts,
    stt,
    openai: wantsCloud
      ? {
          baseURL: env.ATTEST_SPEECH_BASE_URL,
          apiKey: env.ATTEST_SPEECH_API_KEY,
          ttsModel: env.ATTEST_TTS_MODEL ?? 'gpt-4o-mini-tts',
          ttsVoice: env.ATTEST_TTS_VOICE ?? 'alloy',
          sttModel: env.ATTEST_STT_MODEL ?? 'gpt-4o-mini-transcribe',
          timeoutMs,
        }
      : null,
    pocketsphinx: {
      binary: env.ATTEST_POCKETSPHINX_PATH ?? 'pocketsphinx_continuous',
      modelDir: env.ATTEST_POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us',
    },
    repromptMs: repromptSeconds * 1000,
    maxReprompts,
  });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `speech ${i.path.join('.')}: ${i.message}`) };
  return { ok: true, options: parsed.data };
}
