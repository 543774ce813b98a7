import { describe, expect, it } from 'vitest';
import { translator } from '../i18n.ts';
import { describeFailure } from './failures.ts';

describe('describeFailure', () => {
  it('uses the translated message for a known code', () => {
    expect(describeFailure(translator('zh-CN'), { ok: false, code: 'wrong_step', message: 'x' })).toBe(
      '对话已进入下一步，请回答当前的问题。',
    );
    expect(describeFailure(translator('en'), { ok: false, code: 'timeout', message: '' })).toMatch(/No reply/);
  });

  it('falls back to the generic message for an unknown code', () => {
    expect(describeFailure(translator('en'), { ok: false, code: 'weird' as never, message: 'raw' })).toMatch(/went wrong/);
  });
});
