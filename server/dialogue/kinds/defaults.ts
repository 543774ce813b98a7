/**
 * Lines a step says when its script does not give its own. Typed per locale so adding a locale
 * to the product fails the typecheck here until every line is translated.
 */
import type { Locale } from '../types.ts';

export type DefaultText = Record<Locale, string>;

export const DEFAULT_YES_LABEL: DefaultText = { en: 'Yes', 'zh-CN': '是' };
export const DEFAULT_NO_LABEL: DefaultText = { en: 'No', 'zh-CN': '否' };

export const DEFAULT_REASK: DefaultText = {
  en: "Sorry, I didn't quite catch that. Please answer yes or no.",
  'zh-CN': '抱歉，我没有听清楚。请回答“是”或“否”。',
};

export const DEFAULT_DECLINED: DefaultText = {
  en: "I understand. We can't continue without your agreement, so we'll stop here. Thank you for your time.",
  'zh-CN': '好的，我理解。没有您的同意，我们无法继续办理，本次会话将在此结束。感谢您的时间。',
};

export const DEFAULT_REPROMPT: DefaultText = {
  en: 'Are you still there? Take your time. Here is the question again.',
  'zh-CN': '您还在吗？不用着急，我再问一遍。',
};

export const DEFAULT_HANDOFF: DefaultText = {
  en: "Thank you for your patience. We'll stop here, and a member of our team will review your application and contact you.",
  'zh-CN': '感谢您的耐心配合。本次会话将在此结束，我们的工作人员会审核您的申请并与您联系。',
};

export const DEFAULT_INVALID_TEXT: DefaultText = {
  en: "Sorry, I couldn't accept that answer. Please try again.",
  'zh-CN': '抱歉，这个回答不符合要求，请再试一次。',
};

export const DEFAULT_INVALID_DATE: DefaultText = {
  en: 'Please enter the date as year-month-day, for example 1990-04-21.',
  'zh-CN': '请按“年-月-日”的格式输入日期，例如 1990-04-21。',
};

export const DEFAULT_INVALID_NUMBER: DefaultText = {
  en: 'Please enter a number, using digits only.',
  'zh-CN': '请输入数字。',
};
