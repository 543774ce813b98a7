/**
 * Speech from any OpenAI-compatible `/audio/speech` endpoint (OpenAI, or a self-hosted server
 * that speaks the same API), as raw 24 kHz PCM. It gives no timings, so captions and visemes come
 * from the audio envelope. Each line has a deadline; the caller falls back to the offline voice.
 */
import OpenAI from 'openai';
import type { Locale } from '../../http/protocol.ts';
import type { SpeechClip, TextToSpeech, TextToSpeechCapabilities } from './types.ts';
import { makeClip, timingsFromEnvelope } from './visemes.ts';

/** `response_format: 'pcm'` is 24 kHz, 16-bit signed little-endian, mono. */
const PCM_RATE = 24_000;

export interface OpenAiSpeechOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  voice: string;
  timeoutMs: number;
}

export class OpenAiSpeech implements TextToSpeech {
  readonly name = 'openai-speech';
  readonly capabilities: TextToSpeechCapabilities = { timings: false, locales: ['en', 'zh-CN'], offline: false };
  private readonly client: OpenAI;

  constructor(private readonly o: OpenAiSpeechOptions) {
    this.client = new OpenAI({ baseURL: o.baseURL, apiKey: o.apiKey, timeout: o.timeoutMs, maxRetries: 0 });
  }

  async speak(text: string, options: { locale: Locale; signal?: AbortSignal }): Promise<SpeechClip> {
    const deadline = AbortSignal.timeout(this.o.timeoutMs);
    const response = await this.client.audio.speech.create(
      { model: this.o.model, voice: this.o.voice, input: text, response_format: 'pcm' },
      { signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline },
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length < 2) throw new Error('the speech service returned no audio');
    const samples = new Int16Array(Math.floor(bytes.length / 2));
    const view = new DataView(bytes.buffer, bytes.byteOffset, samples.length * 2);
    for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
    return makeClip(samples, PCM_RATE, timingsFromEnvelope(text, samples, PCM_RATE), 'envelope');
  }

  async close(): Promise<void> {}
}

/**
 * The configured speech with the offline voice behind it: a line the cloud cannot say in time
 * (error, timeout) is spoken offline instead, so the applicant never waits in silence.
 */
export class FallbackSpeech implements TextToSpeech {
  readonly name: string;
  readonly capabilities: TextToSpeechCapabilities;

  constructor(
    private readonly primary: TextToSpeech,
    private readonly fallback: TextToSpeech,
    private readonly onFallback: (error: unknown) => void,
  ) {
    this.name = `${primary.name}+${fallback.name}`;
    this.capabilities = primary.capabilities;
  }

  async speak(text: string, options: { locale: Locale; signal?: AbortSignal }): Promise<SpeechClip> {
    try {
      return await this.primary.speak(text, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      this.onFallback(error);
      return this.fallback.speak(text, options);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }
}
