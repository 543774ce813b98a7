import { describe, expect, it } from 'vitest';
import { figuresOf, keepsFacts } from './phrase.ts';

describe('keepsFacts', () => {
  const approved = 'The annual percentage rate (APR) is 7.2%, fixed for the whole term of 6 to 36 months.';
  it('accepts a rewording with the same figures', () => {
    expect(keepsFacts(approved, 'Your rate is fixed at 7.2% APR for the loan, whether you pick 6 or 36 months.')).toBe(true);
  });
  it('refuses a changed, dropped or invented figure', () => {
    expect(keepsFacts(approved, 'The APR is 6.9%, fixed for 6 to 36 months.')).toBe(false);
    expect(keepsFacts(approved, 'The APR is 7.2%, fixed for the whole term.')).toBe(false);
    expect(keepsFacts(approved, 'The APR is 7.2% for 6 to 36 months, and you get 2 months free.')).toBe(false);
  });
  it('reads thousands separators and decimals as one figure', () => {
    expect(figuresOf('from 5,000 to 200,000 CNY at 7.2%.')).toEqual(['200,000', '5,000', '7.2']);
  });
});
