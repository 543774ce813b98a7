/**
 * Choosing the intent provider, once, from settings the config hands over (no module here reads
 * `process.env`). An `llm` provider whose prompt cannot be read fails here, at startup.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createLlmClassifier } from './llm/provider.ts';
import { createOfflineClassifier } from './offline/index.ts';
import type { IntentClassifier } from './types.ts';

/** The default system prompt of the `llm` provider. */
export const INTENT_PROMPT_FILE = new URL('../../prompts/llm/intent.md', import.meta.url);

export const ZIntentClassifierOptions = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('offline') }),
  z.strictObject({
    provider: z.literal('llm'),
    baseURL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    apiKey: z.string().min(1, { error: 'expected an API key' }),
    model: z.string().min(1, { error: 'expected a model name' }),
    timeoutMs: z.int().min(100).max(120_000),
    /** Overrides the prompt file (tests, experiments). */
    systemPrompt: z.string().min(1).optional(),
  }),
]);
export type IntentClassifierOptions = z.infer<typeof ZIntentClassifierOptions>;

export function createIntentClassifier(options: IntentClassifierOptions): IntentClassifier {
  const parsed = ZIntentClassifierOptions.parse(options);
  if (parsed.provider === 'offline') return createOfflineClassifier();
  const systemPrompt = parsed.systemPrompt ?? readFileSync(INTENT_PROMPT_FILE, 'utf8');
  return createLlmClassifier({ ...parsed, systemPrompt });
}

/**
 * Suggested environment variables for the config (which owns `process.env`):
 * ATTEST_INTENT_PROVIDER=offline|llm, ATTEST_LLM_BASE_URL, ATTEST_LLM_API_KEY, ATTEST_LLM_MODEL,
 * ATTEST_LLM_TIMEOUT_MS (default 4000). Returns the options, or the problems in words.
 */
export function intentOptionsFromEnv(
  env: Record<string, string | undefined>,
): { ok: true; options: IntentClassifierOptions } | { ok: false; problems: string[] } {
  const provider = env.ATTEST_INTENT_PROVIDER ?? 'offline';
  if (provider === 'offline') return { ok: true, options: { provider: 'offline' } };
  if (provider !== 'llm') return { ok: false, problems: [`ATTEST_INTENT_PROVIDER must be offline or llm, not '${provider}'`] };
  const problems: string[] = [];
  for (const name of ['ATTEST_LLM_BASE_URL', 'ATTEST_LLM_API_KEY', 'ATTEST_LLM_MODEL']) {
    if ((env[name] ?? '').trim() === '') problems.push(`${name} is not set`);
  }
  const timeoutText = env.ATTEST_LLM_TIMEOUT_MS ?? '4000';
  const timeoutMs = Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    problems.push('ATTEST_LLM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 120000');
  }
  if (problems.length > 0) return { ok: false, problems };
  const parsed = ZIntentClassifierOptions.safeParse({
    provider: 'llm',
    baseURL: env.ATTEST_LLM_BASE_URL,
    apiKey: env.ATTEST_LLM_API_KEY,
    model: env.ATTEST_LLM_MODEL,
    timeoutMs,
  });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  return { ok: true, options: parsed.data };
}
