import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answerFromFaq, faqTerms, indexFaq } from './faq.ts';
import { loadProductsFromDir, parseProduct, ProductError } from './products.ts';

const PRODUCTS_DIR = fileURLToPath(new URL('../../prompts/products/', import.meta.url));
const [loan] = loadProductsFromDir(PRODUCTS_DIR).filter((product) => product.id === 'consumer-loan');

describe('product terms', () => {
  it('loads the shipped consumer loan with every FAQ answer filled from its terms, in both languages', () => {
    expect(loan).toBeDefined();
    const ids = loan?.faq.map((entry) => entry.id);
    expect(ids).toEqual(['amount', 'apr', 'fees', 'term', 'repayment', 'late_payment', 'cooling_off']);
    for (const entry of loan?.faq ?? []) {
      expect(entry.answer.en).toBeDefined();
      expect(entry.answer['zh-CN']).toBeDefined();
      expect(`${entry.answer.en}${entry.answer['zh-CN']}`).not.toMatch(/\{\{/);
    }
    expect(loan?.faq.find((entry) => entry.id === 'apr')?.answer.en).toContain(loan?.terms.apr);
  });

  it('refuses an answer that names a term the product does not have', () => {
    const source = ['id: x', 'name: { en: X }', 'terms: { apr: "5%" }', 'faq:', '  - { id: a, questions: { en: [APR?] }, answer: { en: "{{rate}}" } }'].join('\n');
    expect(() => parseProduct(source, 'x.yaml')).toThrow(ProductError);
    expect(() => parseProduct(source, 'x.yaml')).toThrow(/unknown term \{\{rate\}\}/);
  });
});

describe('FAQ retrieval', () => {
  const index = loan?.index ?? indexFaq([]);
  const cases: [string, 'en' | 'zh-CN', string | null][] = [
    ["What's the APR on this loan?", 'en', 'apr'],
    ['how much interest do I pay', 'en', 'apr'],
    ['Are there any hidden fees or charges?', 'en', 'fees'],
    ['What happens if I miss a payment?', 'en', 'late_payment'],
    ['Can I change my mind after signing?', 'en', 'cooling_off'],
    ['When is my first payment due?', 'en', 'repayment'],
    ['How many months is the loan for?', 'en', 'term'],
    ['What is the maximum amount I can borrow?', 'en', 'amount'],
    ['年化利率多少', 'zh-CN', 'apr'],
    ['逾期了会怎么样', 'zh-CN', 'late_payment'],
    ['有冷静期吗', 'zh-CN', 'cooling_off'],
    ['手续费怎么收', 'zh-CN', 'fees'],
    ['最多能借多少钱', 'zh-CN', 'amount'],
    // Nothing approved: noted for a specialist, never guessed.
    ['What is the weather like tomorrow?', 'en', null],
    ['Who is your CEO?', 'en', null],
    ['你们公司在哪里', 'zh-CN', null],
  ];
  it.each(cases)('%j (%s) -> %s', (question, locale, id) => {
    const found = answerFromFaq(question, index, locale);
    if (id === null) expect(found.kind).toBe('noted');
    else expect(found).toMatchObject({ kind: 'answer', id });
  });

  it('answers in the session language whatever language the question is in', () => {
    expect(answerFromFaq('What is the APR?', index, 'zh-CN')).toMatchObject({ kind: 'answer', text: expect.stringContaining('年化利率') });
  });

  it('makes English words and Chinese bigrams into terms', () => {
    expect([...faqTerms('What are the fees?')]).toEqual(['fee']);
    expect([...faqTerms('利率是多少')]).toEqual(['利率', '率多', '多少']);
  });
});
