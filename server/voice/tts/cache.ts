/**
 * Keeps recently synthesized sentences: a script's lines repeat across sessions, so most replies
 * cost nothing to synthesize. Bounded by total samples (least recently used goes first).
 */
import type { Locale } from '../../http/protocol.ts';
import type { SpeechClip, TextToSpeech, TextToSpeechCapabilities } from './types.ts';

export class CachedSpeech implements TextToSpeech {
  readonly name: string;
  readonly capabilities: TextToSpeechCapabilities;
  private readonly clips = new Map<string, SpeechClip>();
  private samples = 0;

  constructor(
    private readonly inner: TextToSpeech,
    private readonly maxSamples = 24_000 * 60 * 20,
  ) {
    this.name = inner.name;
    this.capabilities = inner.capabilities;
  }

  async speak(text: string, options: { locale: Locale; signal?: AbortSignal }): Promise<SpeechClip> {
    const key = `${options.locale}\u0000${text}`;
    const hit = this.clips.get(key);
    if (hit) {
      this.clips.delete(key);
      this.clips.set(key, hit);
      return hit;
    }
    const clip = await this.inner.speak(text, options);
    this.clips.set(key, clip);
    this.samples += clip.samples.length;
    for (const [oldKey, old] of this.clips) {
      if (this.samples <= this.maxSamples) break;
      this.clips.delete(oldKey);
      this.samples -= old.samples.length;
    }
    return clip;
  }

  close(): Promise<void> {
    this.clips.clear();
    return this.inner.close();
  }
}
