import { describe, expect, it } from 'vitest';
import { ContractInputError } from './errors.ts';
import { parseSessionEvidence } from './evidence.ts';
import type { SessionEvidence } from './evidence.ts';
import { loadProductsFromDir } from '../intent/products.ts';
import { loadContractTemplates } from './template.ts';
import { contractValues, fillContractTemplate, monthlyPayment, parseContractTemplate, toBlocks } from './template.ts';
import type { ContractProduct } from './template.ts';

const product: ContractProduct = {
  id: 'loan',
  name: { en: 'Test loan', 'zh-CN': '测试贷款' },
  terms: { apr: '6%', currency: 'CNY', amount_min: '1,000', amount_max: '10,000', term_months_min: '6', term_months_max: '12' },
};

const sha = 'a'.repeat(64);
const at = '2026-01-02T03:04:05.000Z';
function evidence(identity: Partial<SessionEvidence['identity']> = {}, loan = { amount: 5000, termMonths: 12 }): SessionEvidence & { date: string } {
  const parsed = parseSessionEvidence({
    sessionId: 's1',
    reference: 'ATT-TEST',
    locale: 'en',
    scriptId: 'onboarding',
    scriptHash: sha,
    productId: 'loan',
    sessionStartedAt: at,
    identity: { fullName: 'Test Person', confirmedAt: at, ...identity },
    loan,
    answers: [],
    signing: { statement: 'I agree', label: 'affirm', provider: 'offline', confidence: 0.9, signedAt: at },
    artifacts: [],
    eventChain: { count: 3, headHash: sha },
  });
  if (!parsed.ok) throw new Error(parsed.problem);
  return { ...parsed.evidence, date: at.slice(0, 10) };
}

const parse = (source: string) => parseContractTemplate(source, 'test.md', product, 'en');

describe('contract templates', () => {
  it('reject an unknown placeholder, naming file and line', () => {
    expect(() => parse('# T\n\nRate {{terms.apr}}, fee {{terms.fee}}')).toThrow(new ContractInputError('test.md:3: unknown placeholder {{terms.fee}}'));
    expect(() => parse('# T\n{{applicant.name}}')).toThrow(/test\.md:2: unknown placeholder \{\{applicant\.name\}\}/);
  });

  it('require optional fields to sit inside their section, and sections to balance', () => {
    expect(() => parse('# T\n{{applicant.document_number}}')).toThrow(/may be absent/);
    expect(() => parse('# T\n{{#applicant.document_number}}x')).toThrow(/is not closed/);
    expect(() => parse('# T\n{{#loan.amount}}x{{/loan.amount}}')).toThrow(/not an optional field/);
    expect(() => parse('# T\n{{terms.apr')).toThrow(/unclosed placeholder/);
    expect(() => parse('no title')).toThrow(/no '# title' line/);
  });

  it('fill values and leave out sections whose field is absent', () => {
    const template = parse(
      '# Loan {{contract.reference}}\n\n{{applicant.full_name}}{{#applicant.document_type}}, {{applicant.document_type}}{{#applicant.document_number}} no. {{applicant.document_number}}{{/applicant.document_number}}{{/applicant.document_type}}.\n- {{loan.amount}} {{terms.currency}} at {{terms.apr}}: {{loan.monthly_payment}} a month',
    );
    const full = fillContractTemplate(template, contractValues(evidence({ documentType: 'passport', documentNumber: 'X123' }), product));
    expect(full).toContain('Test Person, passport no. X123.');
    expect(full).toContain('- 5,000 CNY at 6%: 430.33 a month');
    const bare = fillContractTemplate(template, contractValues(evidence(), product));
    expect(bare).toContain('Test Person.');
    expect(toBlocks(bare, 'en')).toEqual([
      { kind: 'title', text: 'Loan ATT-TEST' },
      { kind: 'paragraph', text: 'Test Person.' },
      { kind: 'item', text: '5,000 CNY at 6%: 430.33 a month' },
    ]);
  });

  it('refuse a loan outside the product limits', () => {
    expect(() => contractValues(evidence({}, { amount: 500, termMonths: 12 }), product)).toThrow(/loan\.amount/);
    expect(() => contractValues(evidence({}, { amount: 5000, termMonths: 36 }), product)).toThrow(/loan\.termMonths/);
  });

  it('compute equal instalments', () => {
    expect(monthlyPayment(12_000, 0, 12)).toBe(1000);
    expect(monthlyPayment(50_000, 7.2, 24).toFixed(2)).toBe('2243.17');
  });
});

describe('the shipped templates', () => {
  it('load against the shipped product, in both locales', () => {
    const products = loadProductsFromDir('prompts/products');
    const templates = loadContractTemplates('prompts/contracts', (id) => products.find((entry) => entry.id === id));
    expect([...templates.keys()].sort()).toEqual(['consumer-loan.en', 'consumer-loan.zh-CN']);
  });
});
