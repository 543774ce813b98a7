/**
 * The espeak-ng synthesizer in its own process. espeak-ng (and this WebAssembly build of it) is
 * GPL-3.0: Attest never links it into the server, it only exchanges text and PCM with this
 * process over IPC. One request at a time; replies carry 16-bit mono PCM and the synthesizer's
 * word and phoneme events.
 */
import Module from '@echogarden/espeak-ng-emscripten';

interface EspeakEvent {
  type: string;
  text_position: number;
  word_length: number;
  audio_position: number;
  id?: string | number;
}

interface EspeakWorker {
  set_voice(voice: string): void;
  get_samplerate(): number;
  synthesize(text: string, callback: (samples: Int16Array, events: EspeakEvent[]) => number): void;
}

export type WorkerRequest = { id: number; text: string; voice: string };
export type WorkerReply =
  | { type: 'ready'; sampleRate: number }
  | { type: 'result'; id: number; samples: Int16Array; sampleRate: number; events: { type: string; audioMs: number; textPosition: number; length: number; id?: string | number }[] }
  | { type: 'error'; id: number; message: string };

const send = (reply: WorkerReply) => process.send?.(reply);

function synthesize(worker: EspeakWorker, text: string, voice: string): { samples: Int16Array; events: EspeakEvent[] } {
  worker.set_voice(voice);
  const chunks: Int16Array[] = [];
  const events: EspeakEvent[] = [];
  worker.synthesize(text, (samples, chunkEvents) => {
    chunks.push(samples);
    events.push(...chunkEvents);
    return 0;
  });
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const samples = new Int16Array(total);
  let offset = 0;
  for (const c of chunks) {
    samples.set(c, offset);
    offset += c.length;
  }
  return { samples, events };
}

async function main(): Promise<void> {
  const module = (await (Module as unknown as () => Promise<{ eSpeakNGWorker: new () => EspeakWorker }>)());
  const worker = new module.eSpeakNGWorker();
  // The first synthesis per voice costs 100-500 ms: pay it now, not on the applicant's first line.
  synthesize(worker, 'ready', 'en-us');
  synthesize(worker, '好', 'cmn');
  const sampleRate = worker.get_samplerate();
  process.on('message', (raw: WorkerRequest) => {
    try {
      const { samples, events } = synthesize(worker, raw.text, raw.voice);
      send({
        type: 'result',
        id: raw.id,
        samples,
        sampleRate,
        events: events.map((e) => ({ type: e.type, audioMs: e.audio_position, textPosition: e.text_position, length: e.word_length, ...(e.id !== undefined ? { id: e.id } : {}) })),
      });
    } catch (error) {
      send({ type: 'error', id: raw.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', sampleRate });
}

main().catch((error: unknown) => {
  process.stderr.write(`espeak-ng worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
