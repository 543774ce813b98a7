/**
 * npm run bench:voice -- [--json] [--data DIR]
 *
 * Real Chromium sessions answered by voice against the offline stack (espeak-ng voice,
 * pocketsphinx with the yes/no grammar), the server in its own process. Each spoken answer gets
 * its own browser, whose fake microphone (--use-file-for-fake-audio-capture) loops the answer
 * with silence around it; the session is the voice-check script (consent, free will, for
 * yourself), so a "yes" answers up to three questions and a "no" ends it after one. Answers are
 * made at bench time with the offline voice, plus the yes/no recordings of ../shared/fixtures/
 * speech/yes-no when present (or --data DIR).
 *
 * Per turn (from the session's stored facts): end of the applicant's speech (the VAD's last
 * voiced frame) -> first assistant audio audible in the browser (VoiceTurnTimed.totalMs), and
 * whether the recognized meaning was right (SpeechTranscribed; SpeechNotRecognized counts wrong).
 * The first session starts 8 s after the server is up (its background warm-up: script lines
 * synthesized, recognizer model files loaded).
 * Last line: {"turns":N,"latency_p50_ms":T,"latency_p95_ms":T,"yes_no_accuracy":R}
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, browserAvailability } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { tempDir } from '../support/attest.ts';
import { openSqliteStore } from '../../server/store/index.ts';
import { percentile, startServerProcess } from './process.ts';
import { grammarFor, meaningOf } from '../../server/voice/stt/grammar.ts';
import { pocketsphinxInstalled, readWav48k, synthesize, VOICE_SCRIPT_ID, writeMicWav, writeVoiceScripts } from '../support/voice.ts';

interface Answer {
  name: string;
  expected: 'yes' | 'no';
  pcm: Int16Array;
}

interface Turn {
  answer: string;
  stepId: string;
  expected: string;
  heard: string | null;
  correct: boolean;
  latencyMs: number | null;
  legs: Record<string, unknown> | null;
}

const GRAMMAR = grammarFor({ type: 'yesno', yesLabel: 'Yes', noLabel: 'No' }, 'en')!;
const SESSION_TIMEOUT_MS = 60_000;

function parseArgs(argv: string[]): { json: boolean; data: string } {
  const args = { json: false, data: path.resolve('../shared/fixtures/speech/yes-no') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--data') args.data = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${a}; usage: bench:voice -- [--json] [--data DIR]`);
  }
  return args;
}

async function startServer(dataDir: string, scriptsDir: string): Promise<{ child: ChildProcess; url: string }> {
  return startServerProcess(
    {
      ATTEST_DATA_DIR: dataDir,
      ATTEST_SCRIPTS_DIR: scriptsDir,
      ATTEST_DEFAULT_SCRIPT: VOICE_SCRIPT_ID,
      ATTEST_STT_PROVIDER: 'pocketsphinx',
      ATTEST_TTS_PROVIDER: 'espeak',
      ATTEST_VOICE_REPROMPT_SECONDS: '60',
    },
    { stdout: 'ignore', startTimeoutMs: 60_000 },
  );
}

async function answers(dataDir: string): Promise<Answer[]> {
  const spoken: { text: string; expected: 'yes' | 'no' }[] = [
    { text: 'Yes.', expected: 'yes' },
    { text: 'Yes, I do.', expected: 'yes' },
    { text: 'I agree.', expected: 'yes' },
    { text: 'Yeah.', expected: 'yes' },
    { text: 'No.', expected: 'no' },
    { text: "No, I don't.", expected: 'no' },
    { text: 'Nope.', expected: 'no' },
  ];
  const pcm = await synthesize(spoken.map((s) => ({ text: s.text, locale: 'en' })));
  const out: Answer[] = spoken.map((s, i) => ({ name: `tts "${s.text}"`, expected: s.expected, pcm: pcm[i]! }));
  const truth = path.join(dataDir, 'GROUND_TRUTH.json');
  if (fs.existsSync(truth)) {
    const items = (JSON.parse(fs.readFileSync(truth, 'utf8')) as { items: { file: string; label: string; duration_s: number }[] }).items;
    for (const item of items) {
      if ((item.label === 'yes' || item.label === 'no') && item.duration_s >= 0.5) {
        out.push({ name: `fixture ${item.file}`, expected: item.label, pcm: readWav48k(path.join(dataDir, item.file)) });
      }
    }
  }
  return out;
}

async function runAnswer(url: string, dataDir: string, work: string, answer: Answer, index: number): Promise<Turn[]> {
  const mic = path.join(work, `answer-${index}.wav`);
  writeMicWav(mic, [answer.pcm], { leadMs: 2500, gapMs: 3000 });
  const browser = await launchChromium({ video: fakeMedia(work).video, audio: mic });
  let sessionId = '';
  try {
    const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scriptId: VOICE_SCRIPT_ID }) });
    const created = (await res.json()) as { sessionId: string; token: string };
    sessionId = created.sessionId;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${url}/s/${created.token}`);
    await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('begin-button').click();
    const deadline = Date.now() + SESSION_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const view = (await (await fetch(`${url}/api/sessions/${created.token}`)).json()) as { status: string };
      if (['completed', 'declined', 'review'].includes(view.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // The last reply's "played" report comes from the browser: give it a moment.
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await browser.close();
  }
  const store = openSqliteStore({ dataDir });
  try {
    const events = store.events.list(sessionId);
    const turns: Turn[] = [];
    const timed = events.filter((e) => e.type === 'VoiceTurnTimed').map((e) => e.payload as Record<string, unknown>);
    for (const event of events) {
      const p = event.payload as Record<string, unknown>;
      if (event.type === 'SpeechTranscribed') {
        const heard = meaningOf(GRAMMAR, String(p.text ?? ''));
        const timing = timed.find((t) => t.stepId === p.stepId && t.speechEndedAt === p.speechEndedAt) ?? null;
        turns.push({
          answer: answer.name,
          stepId: String(p.stepId),
          expected: answer.expected,
          heard,
          correct: heard === answer.expected,
          latencyMs: typeof timing?.totalMs === 'number' ? timing.totalMs : null,
          legs: timing,
        });
      } else if (event.type === 'SpeechNotRecognized') {
        turns.push({ answer: answer.name, stepId: String(p.stepId), expected: answer.expected, heard: null, correct: false, latencyMs: null, legs: null });
      }
    }
    return turns;
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const browser = browserAvailability();
  if (!browser.available) throw new Error(`bench:voice needs Chromium: ${browser.reason}`);
  if (!pocketsphinxInstalled()) throw new Error('bench:voice needs pocketsphinx (apt-get install pocketsphinx pocketsphinx-en-us)');
  if (!fs.existsSync('dist/client/index.html')) throw new Error('the client is not built (npm run bench:voice builds it)');
  const work = tempDir('attest-bench-voice-');
  const dataDir = path.join(work, 'data');
  const list = await answers(args.data);
  const { child, url } = await startServer(dataDir, writeVoiceScripts(path.join(work, 'scripts')));
  const turns: Turn[] = [];
  try {
    // The server synthesizes its scripts' lines and loads the recognizer in the background after
    // startup; measure the steady state, as an applicant would meet it.
    await new Promise((r) => setTimeout(r, 8000));
    for (const [i, answer] of list.entries()) {
      const got = await runAnswer(url, dataDir, work, answer, i);
      turns.push(...got);
      if (!args.json) {
        for (const t of got) {
          const legs = t.legs ? ` (recognition ${String(t.legs.recognitionMs)} + decision ${String(t.legs.decisionMs)} + synthesis ${String(t.legs.synthesisMs)} + playout ${String(t.legs.playoutMs)})` : '';
          console.log(`${t.answer.padEnd(24)} ${t.stepId.padEnd(18)} heard ${String(t.heard).padEnd(4)} ${t.correct ? 'ok   ' : 'WRONG'} ${t.latencyMs === null ? 'latency n/a' : `${t.latencyMs} ms`}${legs}`);
        }
        if (got.length === 0) console.log(`${answer.name.padEnd(24)} no turn heard`);
      }
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  const latencies = turns.map((t) => t.latencyMs).filter((v): v is number => v !== null);
  // An answer the server never heard as a turn counts as a wrong recognition.
  const missed = list.filter((a) => !turns.some((t) => t.answer === a.name)).length;
  const evaluated = turns.length + missed;
  const accuracy = evaluated === 0 ? 0 : turns.filter((t) => t.correct).length / evaluated;
  const result = {
    turns: turns.length,
    latency_p50_ms: Math.round(percentile(latencies, 50)),
    latency_p95_ms: Math.round(percentile(latencies, 95)),
    yes_no_accuracy: Math.round(accuracy * 1000) / 1000,
  };
  if (!args.json) console.log(`${list.length} answers, ${turns.length} turns (${latencies.length} timed, ${missed} answers never heard); machine shared with other work`);
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
