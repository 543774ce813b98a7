/**
 * Voice: text-to-speech and speech-to-text providers (chosen once here from config), the
 * turn-taking agent, and the `voice` socket channel's messages.
 */
import type { Logger } from '../log.ts';
import type { VoiceOptions } from './options.ts';
import { checkPocketsphinx, PocketsphinxRecognizer } from './stt/pocketsphinx.ts';
import { OpenAiTranscription } from './stt/openai.ts';
import type { Grammar, SpeechToText } from './stt/types.ts';
import { grammarFor } from './stt/grammar.ts';
import { CachedSpeech } from './tts/cache.ts';
import { EspeakSpeech } from './tts/espeak.ts';
import { FallbackSpeech, OpenAiSpeech } from './tts/openai.ts';
import type { TextToSpeech } from './tts/types.ts';

export { VoiceAgent, type VoiceAgentDeps } from './agent.ts';
export { voiceOptionsFromEnv, type VoiceOptions } from './options.ts';
export type { VoiceClientMessage, VoiceInputReason, VoiceSegment, VoiceServerMessage, Viseme } from './protocol.ts';
export { EspeakSpeech } from './tts/espeak.ts';
export type { SpeechClip, TextToSpeech } from './tts/types.ts';
export type { SpeechToText, Transcript, Grammar } from './stt/types.ts';

export interface VoiceProviders {
  tts: TextToSpeech | null;
  stt: SpeechToText | null;
  /** Why voice answers are off (null when a recognizer runs); 'disabled' when configured off. */
  sttProblem: string | null;
  close(): Promise<void>;
}

export class VoiceStartupError extends Error {
  override name = 'VoiceStartupError';
}

/**
 * Builds the configured providers. The offline voice must start (it ships with npm); a missing
 * pocketsphinx only turns voice answers off, with the reason logged once here.
 */
export async function createVoiceProviders(o: VoiceOptions, logger: Logger): Promise<VoiceProviders> {
  let offline: EspeakSpeech | null = null;
  if (o.tts !== 'none') {
    offline = new EspeakSpeech(logger);
    await offline.start().catch((error: Error) => {
      throw new VoiceStartupError(`the offline voice (espeak-ng) could not start: ${error.message} (ATTEST_TTS_PROVIDER=none turns speech off)`);
    });
  }
  let tts: TextToSpeech | null = offline;
  if (o.tts === 'openai' && o.openai && offline) {
    const cloud = new OpenAiSpeech({ baseURL: o.openai.baseURL, apiKey: o.openai.apiKey, model: o.openai.ttsModel, voice: o.openai.ttsVoice, timeoutMs: o.openai.timeoutMs });
    tts = new FallbackSpeech(cloud, offline, (error) => logger.warn({ err: error }, 'cloud speech failed; line spoken offline'));
  }
  if (tts) tts = new CachedSpeech(tts);

  let stt: SpeechToText | null = null;
  let sttProblem: string | null = null;
  if (o.stt === 'none') sttProblem = 'disabled';
  else if (o.stt === 'openai' && o.openai) {
    stt = new OpenAiTranscription({ baseURL: o.openai.baseURL, apiKey: o.openai.apiKey, model: o.openai.sttModel, timeoutMs: o.openai.timeoutMs });
  } else {
    const problem = await checkPocketsphinx(o.pocketsphinx);
    if (problem && o.stt === 'pocketsphinx') throw new VoiceStartupError(`ATTEST_STT_PROVIDER=pocketsphinx: ${problem}`);
    if (problem) sttProblem = problem;
    else {
      const recognizer = new PocketsphinxRecognizer(o.pocketsphinx);
      void recognizer.warm(grammarFor({ type: 'yesno', yesLabel: '', noLabel: '' }, 'en') as Grammar);
      stt = recognizer;
    }
  }
  if (sttProblem && sttProblem !== 'disabled') {
    logger.warn({ reason: sttProblem }, 'voice input is off: applicants answer by typing or tapping');
  } else if (sttProblem === 'disabled') {
    logger.info('voice input is off (ATTEST_STT_PROVIDER=none): applicants answer by typing or tapping');
  }
  logger.info({ tts: tts?.name ?? 'none', stt: stt?.name ?? 'none' }, 'voice providers ready');
  return { tts, stt, sttProblem, close: async () => void (await tts?.close()) };
}
