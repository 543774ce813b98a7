/**
 * `locales-complete`: every text has every locale the script declares. A missing one is found by
 * the loader's schema check and reported under this rule (see `lint.ts`); here the rule adds
 * what the schema cannot see: text in a locale the script does not declare (never shown),
 * Chinese text with no Chinese in it or English text in Chinese (left untranslated), and FAQ
 * entries without sample questions in a declared locale (never matched in that language).
 */
import type { Path } from '../../../dialogue/check.ts';
import { isLocalizedText } from '../../../dialogue/schema.ts';
import type { Finding, LintRule } from '../types.ts';

const HAN = /\p{Script=Han}/u;

/** Matches the loader's message for a missing locale (server/dialogue/check.ts `checkLocales`). */
export const MISSING_LOCALE = /^missing \S+ text \(the script's locales are /;

function untranslated(locale: string, text: string): string | null {
  if (locale === 'zh-CN' && text.length >= 8 && !HAN.test(text)) return 'has no Chinese characters';
  if (locale === 'en' && HAN.test(text)) return 'contains Chinese characters';
  return null;
}

export const localesComplete: LintRule = {
  id: 'locales-complete',
  severity: 'error',
  description: 'every text in every declared locale (missing: error; undeclared or untranslated-looking: warning)',
  check(context) {
    const { locales } = context.script;
    const findings: Finding[] = [];
    const visit = (value: unknown, path: Path): void => {
      if (isLocalizedText(value)) {
        for (const [locale, text] of Object.entries(value)) {
          if (text === undefined) continue;
          if (!(locales as string[]).includes(locale)) {
            findings.push({
              path: [...path, locale],
              severity: 'warning',
              atKey: true,
              message: `${locale} text is never shown (the script's locales are ${locales.join(', ')}): add ${locale} to locales or remove it`,
            });
            continue;
          }
          const problem = untranslated(locale, text);
          if (problem !== null) {
            findings.push({ path: [...path, locale], severity: 'warning', message: `the ${locale} text ${problem}: translate it` });
          }
        }
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => visit(item, [...path, index]));
        return;
      }
      if (typeof value !== 'object' || value === null) return;
      const record = value as Record<string, unknown>;
      if (path.at(-2) === 'faq' && typeof record.questions === 'object' && record.questions !== null) {
        for (const locale of locales) {
          if (!(locale in record.questions)) {
            findings.push({
              path: [...path, 'questions'],
              severity: 'warning',
              message: `FAQ entry '${String(record.id)}' has no ${locale} sample questions, so it never answers in ${locale}: add some`,
            });
          }
        }
      }
      for (const [key, item] of Object.entries(record)) visit(item, [...path, key]);
    };
    visit(context.script.title, ['title']);
    visit(context.script.steps, ['steps']);
    return findings;
  },
};
