/**
 * What a session applies for, checked against the product's limits (terms `amount_min`,
 * `amount_max`, `term_months_min`, `term_months_max`), and the product's demo default
 * (`demo_amount`, `demo_term_months`) for sessions created without one. Pure.
 */
import type { LoanApplication } from './evidence.ts';
import type { ContractProduct } from './template.ts';

export interface LoanLimits {
  amountMin?: number;
  amountMax?: number;
  termMin?: number;
  termMax?: number;
  currency?: string;
}

/** How the `SessionCreated` event records the loan. */
export interface SessionLoan extends LoanApplication {
  source: 'request' | 'product-default';
}

function termNumber(terms: Record<string, string>, name: string): number | undefined {
  const text = terms[name];
  if (text === undefined) return undefined;
  const value = Number(text.replace(/[,\s]/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

export function loanLimits(product: Pick<ContractProduct, 'terms'>): LoanLimits {
  const { terms } = product;
  return {
    amountMin: termNumber(terms, 'amount_min'),
    amountMax: termNumber(terms, 'amount_max'),
    termMin: termNumber(terms, 'term_months_min'),
    termMax: termNumber(terms, 'term_months_max'),
    currency: terms.currency,
  };
}

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Null when the loan fits the product; else a message naming the field (no personal data). */
export function checkLoan(product: Pick<ContractProduct, 'id' | 'terms'>, loan: LoanApplication): string | null {
  const limits = loanLimits(product);
  const unit = limits.currency ? ` ${limits.currency}` : '';
  if (!Number.isInteger(loan.amount) || loan.amount <= 0) return 'loan.amount: expected a positive whole number of currency units';
  if (!Number.isInteger(loan.termMonths) || loan.termMonths <= 0) return 'loan.termMonths: expected a positive whole number of months';
  if ((limits.amountMin !== undefined && loan.amount < limits.amountMin) || (limits.amountMax !== undefined && loan.amount > limits.amountMax)) {
    return `loan.amount: ${product.id} lends from ${grouping.format(limits.amountMin ?? 1)} to ${limits.amountMax === undefined ? 'any amount' : grouping.format(limits.amountMax)}${unit}`;
  }
  if ((limits.termMin !== undefined && loan.termMonths < limits.termMin) || (limits.termMax !== undefined && loan.termMonths > limits.termMax)) {
    return `loan.termMonths: ${product.id} runs from ${limits.termMin ?? 1} to ${limits.termMax ?? 600} months`;
  }
  if (loan.termMonths > 600) return 'loan.termMonths: at most 600 months';
  return null;
}

/** The product's demo loan (`demo_amount`, `demo_term_months`), or a message saying what is missing. */
export function defaultLoan(product: Pick<ContractProduct, 'id' | 'terms'>): { ok: true; loan: LoanApplication } | { ok: false; problem: string } {
  const amount = termNumber(product.terms, 'demo_amount');
  const termMonths = termNumber(product.terms, 'demo_term_months');
  if (amount === undefined || termMonths === undefined) {
    return { ok: false, problem: `product ${product.id} has no demo_amount / demo_term_months terms (the loan of sessions created without one)` };
  }
  const loan = { amount, termMonths };
  const problem = checkLoan(product, loan);
  return problem === null ? { ok: true, loan } : { ok: false, problem: `product ${product.id}: the demo loan does not fit its limits (${problem})` };
}

/** The loan a `SessionCreated` payload records, if it is well formed. */
export function loanOfPayload(payload: unknown): SessionLoan | null {
  const loan = (payload as { loan?: unknown } | null)?.loan as Partial<SessionLoan> | undefined;
  if (!loan || typeof loan.amount !== 'number' || typeof loan.termMonths !== 'number') return null;
  return { amount: loan.amount, termMonths: loan.termMonths, source: loan.source === 'request' ? 'request' : 'product-default' };
}
