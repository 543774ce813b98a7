import { describe, expect, it } from 'vitest';
import { accessLogQuery } from './adminApi.ts';

describe('accessLogQuery', () => {
  it('sends only the filters that are set, trimmed', () => {
    expect(accessLogQuery({})).toBe('limit=50');
    expect(accessLogQuery({ staffId: 'stf_1', sessionId: '  ses_2 ', before: 40, limit: 20 })).toBe('limit=20&before=40&staffId=stf_1&sessionId=ses_2');
    expect(accessLogQuery({ sessionId: '   ' })).toBe('limit=50');
  });
});
