import { describe, expect, it } from 'vitest';
import { MESSAGES, SUPPORTED_LOCALES, interpolate, isLocale, pickLocale, placeholdersOf, translate } from './i18n.ts';
import { en, type MessageKey } from './locales/en.ts';

const keys = Object.keys(en) as MessageKey[];

describe('messages', () => {
  it('has a non-empty string for every key in every locale', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const missing = keys.filter((key) => !MESSAGES[locale][key]?.trim());
      expect(missing, locale).toEqual([]);
      expect(Object.keys(MESSAGES[locale]).sort(), locale).toEqual([...keys].sort());
    }
  });

  it('uses the same placeholders in every translation', () => {
    for (const key of keys) {
      expect(placeholdersOf(MESSAGES['zh-CN'][key]), key).toEqual(placeholdersOf(en[key]));
    }
  });

  it('translates Chinese UI strings into Chinese', () => {
    expect(translate('zh-CN', 'landing.start')).toBe('开始');
    expect(translate('en', 'landing.start')).toBe('Start');
    // Most Chinese strings contain CJK characters (catches copy-pasted English).
    const untranslated = keys.filter((k) => k !== 'app.name' && k !== 'answer.characters' && !/[\u4e00-\u9fff]/.test(MESSAGES['zh-CN'][k]));
    expect(untranslated).toEqual([]);
  });
});

describe('interpolate', () => {
  it('fills named placeholders and leaves unknown ones', () => {
    expect(interpolate('Step {current} of {total}', { current: 2, total: 5 })).toBe('Step 2 of 5');
    expect(interpolate('Hello {name}', {})).toBe('Hello {name}');
    expect(interpolate('No params {x}')).toBe('No params {x}');
  });

  it('does not read inherited properties', () => {
    expect(interpolate('{toString}', {})).toBe('{toString}');
  });

  it('is used by translate', () => {
    expect(translate('zh-CN', 'progress.step', { current: 2, total: 5 })).toBe('第 2 步，共 5 步');
  });
});

describe('pickLocale', () => {
  it.each([
    [['zh-CN'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['zh-Hans-CN', 'en'], 'zh-CN'],
    [['zh-TW'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-CN'], 'zh-CN'],
    [['fr-FR', 'de'], 'en'],
    [[], 'en'],
  ] as const)('%j -> %s', (languages, expected) => {
    expect(pickLocale(languages)).toBe(expected);
  });
});

describe('isLocale', () => {
  it('accepts only supported locales', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('zh')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});
