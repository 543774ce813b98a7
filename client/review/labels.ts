/** Message keys for the review console's fixed vocabularies (statuses, decisions, flags). */
import type { MessageKey, Translate } from '../i18n.ts';
import { isMessageKey } from '../i18n.ts';

function label(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? t(key as MessageKey) : value;
}

export const statusLabel = (t: Translate, status: string) => label(t, 'review.status', status);
export const decisionLabel = (t: Translate, decision: string) => label(t, 'review.decision', decision);
export const flagLabel = (t: Translate, flag: string) => label(t, 'review.flag', flag);

/** Date and time in the staff member's locale. */
export function dateTime(iso: string | null, locale: string): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
