/**
 * Transcription through any OpenAI-compatible `/audio/transcriptions` endpoint: free speech in
 * both locales, with the expected answers as a prompt hint. Has a deadline; failures reject and
 * the applicant is asked to answer again or type.
 */
import OpenAI, { toFile } from 'openai';
import type { Locale } from '../../http/protocol.ts';
import { wavBytes } from './endpoint.ts';
import { STT_SAMPLE_RATE, type Grammar, type SpeechToText, type SpeechToTextCapabilities, type Transcript } from './types.ts';

export interface OpenAiTranscriptionOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

export class OpenAiTranscription implements SpeechToText {
  readonly name = 'openai-transcription';
  readonly capabilities: SpeechToTextCapabilities = { locales: ['en', 'zh-CN'], freeSpeech: true, offline: false };
  private readonly client: OpenAI;

  constructor(private readonly o: OpenAiTranscriptionOptions) {
    this.client = new OpenAI({ baseURL: o.baseURL, apiKey: o.apiKey, timeout: o.timeoutMs, maxRetries: 0 });
  }

  async transcribe(pcm: Int16Array, options: { locale: Locale; grammar: Grammar | null; signal?: AbortSignal }): Promise<Transcript> {
    const deadline = AbortSignal.timeout(this.o.timeoutMs);
    const hint = options.grammar ? Object.values(options.grammar.phrases).flat().slice(0, 12).join(', ') : undefined;
    const result = await this.client.audio.transcriptions.create(
      {
        file: await toFile(wavBytes(pcm, STT_SAMPLE_RATE), 'answer.wav', { type: 'audio/wav' }),
        model: this.o.model,
        language: options.locale === 'zh-CN' ? 'zh' : 'en',
        response_format: 'json',
        ...(hint ? { prompt: hint } : {}),
      },
      { signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline },
    );
    const text = typeof result === 'string' ? result : result.text;
    return { text: text.trim(), words: [] };
  }
}
