import { describe, expect, it } from 'vitest';
import { createIntentClassifier, intentOptionsFromEnv } from './factory.ts';
import { mergeWithOffline } from './llm/provider.ts';
import { ZIntentClassification } from './types.ts';

describe('createIntentClassifier', () => {
  it('makes the offline provider, whose results match the schema', async () => {
    const classifier = createIntentClassifier({ provider: 'offline' });
    expect(classifier.name).toBe('offline');
    const result = await classifier.classify({ question: '您是否同意？', answer: '同意', locale: 'zh-CN' });
    expect(ZIntentClassification.parse(result)).toMatchObject({ label: 'affirm', provider: 'offline' });
  });

  it('refuses unusable llm settings at once', () => {
    expect(() => createIntentClassifier({ provider: 'llm', baseURL: 'not a url', apiKey: 'k', model: 'm', timeoutMs: 1000 })).toThrow();
  });
});

describe('intentOptionsFromEnv', () => {
  it('defaults to offline and names what is missing for llm', () => {
    expect(intentOptionsFromEnv({})).toEqual({ ok: true, options: { provider: 'offline' } });
    const missing = intentOptionsFromEnv({ ATTEST_INTENT_PROVIDER: 'llm', ATTEST_LLM_MODEL: 'm' });
    expect(missing).toEqual({ ok: false, problems: ['ATTEST_LLM_BASE_URL is not set', 'ATTEST_LLM_API_KEY is not set'] });
    expect(
      intentOptionsFromEnv({
        ATTEST_INTENT_PROVIDER: 'llm',
        ATTEST_LLM_BASE_URL: 'http://127.0.0.1:8080/v1',
        ATTEST_LLM_API_KEY: 'k',
        ATTEST_LLM_MODEL: 'qwen',
      }),
    ).toEqual({ ok: true, options: { provider: 'llm', baseURL: 'http://127.0.0.1:8080/v1', apiKey: 'k', model: 'qwen', timeoutMs: 4000 } });
  });
});

describe('mergeWithOffline', () => {
  it('lets no model clear an injection or a coercion cue the rules found', () => {
    const merged = mergeWithOffline(
      { label: 'affirm', coercion_signals: ['prompted'], injection: false, confidence: 0.9, rationale: 'yes' },
      { label: 'other', coercion_signals: ['pressure'], injection: true, confidence: 0.95, rationale: 'rules' },
    );
    expect(merged).toMatchObject({ label: 'other', injection: true, coercion_signals: ['pressure', 'prompted'] });
  });
});
