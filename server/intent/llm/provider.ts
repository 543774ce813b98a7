/**
 * The `llm` intent provider: any OpenAI-compatible chat completions endpoint, through the `openai`
 * package, with structured output (a JSON schema) and a zod check of the reply. The applicant's
 * words go in as a JSON data field of the user message, never into the instructions.
 *
 * It never throws and never lets the model clear what the rules found: on any failure (timeout,
 * HTTP error, refusal, malformed JSON, schema mismatch, abort) it returns the offline reading with
 * the reason in `rationale`; on success the offline injection and coercion findings are merged in
 * (an injection found offline makes the label `other` whatever the model said).
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { classifyOffline } from '../offline/classify.ts';
import type { OfflineResult } from '../offline/classify.ts';
import { COERCION_SIGNALS, INTENT_LABELS } from '../types.ts';
import type { CoercionSignal, IntentClassification, IntentClassifier, IntentTurn } from '../types.ts';

export interface LlmIntentOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Whole request budget; past it the turn falls back to the offline reading. */
  timeoutMs: number;
  /** The system prompt (default: prompts/llm/intent.md, read by the factory). */
  systemPrompt: string;
}

/** What the model must return (also sent as the response's JSON schema). */
export const ZLlmReply = z.strictObject({
  label: z.enum(INTENT_LABELS),
  coercion_signals: z.array(z.enum(COERCION_SIGNALS)).max(COERCION_SIGNALS.length),
  injection: z.boolean(),
  confidence: z.number().min(0).max(1),
  rationale: z.string().max(1000),
});
export type LlmReply = z.infer<typeof ZLlmReply>;

export const LLM_REPLY_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['label', 'coercion_signals', 'injection', 'confidence', 'rationale'],
  properties: {
    label: { type: 'string', enum: [...INTENT_LABELS] },
    coercion_signals: { type: 'array', items: { type: 'string', enum: [...COERCION_SIGNALS] } },
    injection: { type: 'boolean' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    rationale: { type: 'string' },
  },
} as const;

const RATIONALE_MAX = 300;

/** A failure with a short fixed reason (never the answer or the provider's body). */
class LlmFailure extends Error {}

function reasonOf(error: unknown, signal: AbortSignal | undefined): string {
  if (error instanceof LlmFailure) return error.message;
  if (signal?.aborted === true) return 'cancelled';
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof OpenAI.APIUserAbortError) return 'timeout';
  if (error instanceof OpenAI.APIConnectionError) return 'connection failed';
  if (error instanceof OpenAI.APIError) return `HTTP ${error.status ?? 'error'}`;
  if (error instanceof Error && error.name === 'AbortError') return 'timeout';
  return 'unexpected error';
}

function parseReply(content: string | null | undefined): LlmReply {
  if (content === null || content === undefined || content.trim() === '') throw new LlmFailure('empty reply');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new LlmFailure('malformed JSON');
  }
  const parsed = ZLlmReply.safeParse(json);
  if (!parsed.success) throw new LlmFailure('reply does not match the schema');
  return parsed.data;
}

/** The model's reading, with the rules' injection and coercion findings kept. */
export function mergeWithOffline(reply: LlmReply, offline: OfflineResult): OfflineResult {
  const injection = reply.injection || offline.injection;
  const signals = new Set<CoercionSignal>([...reply.coercion_signals, ...offline.coercion_signals]);
  const notes: string[] = [];
  if (offline.injection && !reply.injection) notes.push('offline rules found prompt injection');
  const added = offline.coercion_signals.filter((signal) => !reply.coercion_signals.includes(signal));
  if (added.length > 0) notes.push(`offline rules added coercion cues: ${added.join(', ')}`);
  const rationale = reply.rationale.slice(0, RATIONALE_MAX) + (notes.length > 0 ? ` [${notes.join('; ')}]` : '');
  return {
    label: injection ? 'other' : reply.label,
    coercion_signals: [...signals].sort(),
    injection,
    confidence: reply.confidence,
    rationale,
  };
}

export function createLlmClassifier(options: LlmIntentOptions): IntentClassifier {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, timeout: options.timeoutMs, maxRetries: 0 });
  return {
    name: `llm:${options.model}`,
    async classify(turn: IntentTurn, { signal }: { signal?: AbortSignal } = {}): Promise<IntentClassification> {
      const started = performance.now();
      const offline = classifyOffline(turn);
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
      try {
        const completion = await client.chat.completions.create(
          {
            model: options.model,
            temperature: 0,
            messages: [
              { role: 'system', content: options.systemPrompt },
              {
                role: 'user',
                // The answer is a JSON string value: quotes, newlines and tags in it stay data.
                content: JSON.stringify({
                  question: turn.question,
                  answer: turn.answer,
                  locale: turn.locale,
                  ...(turn.context?.expected === undefined ? {} : { expected: turn.context.expected }),
                }),
              },
            ],
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'intent_classification', strict: true, schema: LLM_REPLY_JSON_SCHEMA },
            },
          },
          { signal: combined, timeout: options.timeoutMs, maxRetries: 0 },
        );
        const message = completion.choices[0]?.message;
        if (message === undefined) throw new LlmFailure('no choice in the reply');
        if (typeof message.refusal === 'string' && message.refusal !== '') throw new LlmFailure('the model refused');
        const merged = mergeWithOffline(parseReply(message.content), offline);
        return { ...merged, provider: 'llm', latency_ms: elapsed(started) };
      } catch (error) {
        const reason = reasonOf(error, signal);
        return {
          ...offline,
          rationale: `${offline.rationale} (LLM unavailable: ${reason}; offline fallback)`,
          provider: 'offline',
          latency_ms: elapsed(started),
        };
      }
    },
  };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
