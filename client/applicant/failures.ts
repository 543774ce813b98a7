/** Turns a refused or unanswered request into a sentence for the applicant (pure). */
import { isMessageKey, type Translate } from '../i18n.ts';
import type { RequestResult } from './useSessionSocket.ts';

export function describeFailure(t: Translate, result: Exclude<RequestResult, { ok: true }>): string {
  const key = `error.${result.code}`;
  return isMessageKey(key) ? t(key) : t('error.internal');
}
