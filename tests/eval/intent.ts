/**
 * Intent classifier evaluation (issue 5). The command is a contract: keep its name, flags and output.
 *
 *   npm run eval:intent -- --data FILE [--provider offline|llm] [--json]
 *
 * FILE: `{ utterances: [{ text, intent, coercion?, lang?, question? }] }` with intent one of
 * yes (= affirm), no (= deny), maybe (= unsure), question, other (the canonical names are
 * accepted too). Prints overall and per-label accuracy (keyed by the file's intent names),
 * coercion recall and precision (null when the file has no coercion labels) and latency. With
 * --json the last line is the JSON summary. `--provider llm` takes its settings from
 * ATTEST_LLM_BASE_URL, ATTEST_LLM_API_KEY, ATTEST_LLM_MODEL and ATTEST_LLM_TIMEOUT_MS; without
 * them it exits with status 2. Utterances are never printed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createIntentClassifier, intentOptionsFromEnv } from '../../server/intent/index.ts';
import type { IntentClassifierOptions, IntentLabel, IntentLocale } from '../../server/intent/index.ts';

const LABEL_OF: Record<string, IntentLabel> = {
  yes: 'affirm',
  no: 'deny',
  maybe: 'unsure',
  question: 'question',
  other: 'other',
  affirm: 'affirm',
  deny: 'deny',
  unsure: 'unsure',
};

const ZFile = z.object({
  utterances: z
    .array(
      z.object({
        text: z.string(),
        intent: z.string().refine((intent) => intent in LABEL_OF, { error: 'intent must be yes, no, maybe, question or other' }),
        coercion: z.boolean().optional(),
        lang: z.string().optional(),
        question: z.string().optional(),
      }),
    )
    .min(1),
});

/** A neutral question per locale when the file gives none. */
const DEFAULT_QUESTION: Record<IntentLocale, string> = {
  en: 'Can you confirm that?',
  'zh-CN': '请问您确认吗？',
};

function fail(message: string): never {
  console.error(`eval:intent: ${message}`);
  process.exit(2);
}

function localeOf(lang: string | undefined, text: string): IntentLocale {
  if (lang !== undefined) return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      provider: { type: 'string', default: 'offline' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.data === undefined) fail('usage: npm run eval:intent -- --data FILE [--provider offline|llm] [--json]');
  if (values.provider !== 'offline' && values.provider !== 'llm') fail('--provider must be offline or llm');

  let options: IntentClassifierOptions = { provider: 'offline' };
  if (values.provider === 'llm') {
    const fromEnv = intentOptionsFromEnv({ ...process.env, ATTEST_INTENT_PROVIDER: 'llm' });
    if (!fromEnv.ok) {
      fail(`--provider llm needs ATTEST_LLM_BASE_URL, ATTEST_LLM_API_KEY, ATTEST_LLM_MODEL (and optionally ATTEST_LLM_TIMEOUT_MS): ${fromEnv.problems.join('; ')}`);
    }
    options = fromEnv.options;
  }

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.data, 'utf8'));
  } catch (error) {
    fail(`cannot read ${values.data}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ZFile.safeParse(raw);
  if (!parsed.success) fail(`${values.data} is not an utterance file: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  const utterances = parsed.data.utterances;

  const classifier = createIntentClassifier(options);
  const hasCoercion = utterances.some((item) => item.coercion !== undefined);
  const perLabel = new Map<string, { n: number; correct: number }>();
  const latencies: number[] = [];
  let correct = 0;
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  let fallbacks = 0;

  for (const [index, item] of utterances.entries()) {
    const locale = localeOf(item.lang, item.text);
    const started = performance.now();
    const result = await classifier.classify({
      question: item.question ?? DEFAULT_QUESTION[locale],
      answer: item.text,
      locale,
      context: { stepId: `eval-${index}` },
    });
    latencies.push(performance.now() - started);
    if (options.provider === 'llm' && result.provider === 'offline') fallbacks += 1;
    const bucket = perLabel.get(item.intent) ?? { n: 0, correct: 0 };
    bucket.n += 1;
    if (result.label === LABEL_OF[item.intent]) {
      bucket.correct += 1;
      correct += 1;
    }
    perLabel.set(item.intent, bucket);
    if (hasCoercion) {
      const actual = item.coercion === true;
      const predicted = result.coercion_signals.length > 0;
      if (predicted && actual) truePositive += 1;
      else if (predicted) falsePositive += 1;
      else if (actual) falseNegative += 1;
    }
  }

  latencies.sort((a, b) => a - b);
  const summary = {
    n: utterances.length,
    accuracy: round(correct / utterances.length),
    per_label: Object.fromEntries([...perLabel.entries()].map(([intent, bucket]) => [intent, round(bucket.correct / bucket.n)])),
    coercion_recall: hasCoercion && truePositive + falseNegative > 0 ? round(truePositive / (truePositive + falseNegative)) : null,
    coercion_precision: hasCoercion && truePositive + falsePositive > 0 ? round(truePositive / (truePositive + falsePositive)) : null,
    p50_ms: round(percentile(latencies, 50), 3),
    p95_ms: round(percentile(latencies, 95), 3),
  };

  const lines = [
    `provider: ${classifier.name}   utterances: ${summary.n}`,
    `accuracy: ${summary.accuracy}`,
    ...Object.entries(summary.per_label).map(
      ([intent, accuracy]) => `  ${intent.padEnd(10)} ${accuracy}  (n=${perLabel.get(intent)?.n ?? 0})`,
    ),
    `coercion recall: ${summary.coercion_recall ?? 'n/a'}   precision: ${summary.coercion_precision ?? 'n/a'}`,
    `latency p50: ${summary.p50_ms} ms   p95: ${summary.p95_ms} ms`,
    ...(options.provider === 'llm' ? [`offline fallbacks: ${fallbacks}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  console.error(`eval:intent failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
