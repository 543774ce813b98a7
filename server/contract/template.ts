/**
 * Contract templates (prompts/contracts/<productId>.<locale>.md): a small Markdown subset
 * (`# title`, `## heading`, paragraphs, `- ` list items) with placeholders:
 *
 * - `{{applicant.full_name}}`, `{{applicant.date_of_birth}}`, `{{applicant.document_type}}`,
 *   `{{applicant.document_number}}`, `{{applicant.nationality}}`: identity fields the applicant
 *   confirmed; all but the name may be absent, so they may only be used inside a section
 *   `{{#applicant.document_number}} ... {{/applicant.document_number}}` that is left out when the
 *   field is absent;
 * - `{{loan.amount}}`, `{{loan.term_months}}`, `{{loan.monthly_payment}}`: what was applied for;
 * - `{{contract.reference}}`, `{{contract.date}}`, `{{product.name}}`;
 * - `{{terms.<name>}}`: any term of the product file (prompts/products/<productId>.yaml).
 *
 * An unknown placeholder, an optional field outside its section or an unbalanced section is an
 * error at load (naming the file and line), so no contract can state a term the product lacks.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_LOCALES } from './evidence.ts';
import type { ConfirmedIdentity, ContractLocale, LoanApplication } from './evidence.ts';
import { ContractInputError } from './errors.ts';

/** The product data a template needs (a subset of intent's `Product`). */
export interface ContractProduct {
  id: string;
  name: Partial<Record<ContractLocale, string>>;
  terms: Record<string, string>;
}

export interface ContractTemplate {
  productId: string;
  locale: ContractLocale;
  /** `<productId>.<locale>` */
  id: string;
  /** sha256 hex of the UTF-8 source. */
  hash: string;
  source: string;
}

export type ContractBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; text: string };

const REQUIRED_FIELDS = [
  'applicant.full_name',
  'loan.amount',
  'loan.term_months',
  'loan.monthly_payment',
  'contract.reference',
  'contract.date',
  'product.name',
] as const;
const OPTIONAL_FIELDS = [
  'applicant.date_of_birth',
  'applicant.document_type',
  'applicant.document_number',
  'applicant.nationality',
] as const;
const TOKEN = /\{\{\s*([#/]?)([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\s*\}\}/g;

/** Checks a template against the product's terms. Throws ContractInputError naming file:line. */
export function parseContractTemplate(source: string, file: string, product: ContractProduct, locale: ContractLocale): ContractTemplate {
  const known = new Set<string>([...REQUIRED_FIELDS, ...Object.keys(product.terms).map((name) => `terms.${name}`)]);
  const optional = new Set<string>(OPTIONAL_FIELDS);
  const open: string[] = [];
  source.split('\n').forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    if (/\{\{(?![^}]*\}\})/.test(line.replace(TOKEN, ''))) throw new ContractInputError(`${where}: unclosed placeholder`);
    for (const match of line.matchAll(TOKEN)) {
      const [, sigil, name = ''] = match;
      if (sigil === '#') {
        if (!optional.has(name)) throw new ContractInputError(`${where}: {{#${name}}} is not an optional field`);
        open.push(name);
      } else if (sigil === '/') {
        if (open.at(-1) !== name) throw new ContractInputError(`${where}: {{/${name}}} does not close the open section`);
        open.pop();
      } else if (optional.has(name)) {
        if (!open.includes(name)) throw new ContractInputError(`${where}: {{${name}}} may be absent; use it inside {{#${name}}} ... {{/${name}}}`);
      } else if (!known.has(name)) {
        throw new ContractInputError(`${where}: unknown placeholder {{${name}}}`);
      }
    }
  });
  if (open.length > 0) throw new ContractInputError(`${file}: section {{#${open.at(-1)}}} is not closed`);
  if (!/^# \S/m.test(source)) throw new ContractInputError(`${file}: no '# title' line`);
  return {
    productId: product.id,
    locale,
    id: `${product.id}.${locale}`,
    hash: createHash('sha256').update(source, 'utf8').digest('hex'),
    source,
  };
}

/** Loads every `<productId>.<locale>.md` in `dir` whose product is known; unknown products are an error. */
export function loadContractTemplates(dir: string, getProduct: (id: string) => ContractProduct | undefined): Map<string, ContractTemplate> {
  const templates = new Map<string, ContractTemplate>();
  for (const name of readdirSync(dir).sort()) {
    const match = /^([a-z0-9][a-z0-9-]*)\.([A-Za-z-]+)\.md$/.exec(name);
    if (!match) continue;
    const [, productId = '', locale = ''] = match;
    const file = join(dir, name);
    if (!(CONTRACT_LOCALES as readonly string[]).includes(locale)) throw new ContractInputError(`${file}: unsupported locale ${locale}`);
    const product = getProduct(productId);
    if (!product) throw new ContractInputError(`${file}: no product ${productId} in the products folder`);
    const template = parseContractTemplate(readFileSync(file, 'utf8'), file, product, locale as ContractLocale);
    templates.set(template.id, template);
  }
  return templates;
}

const DOCUMENT_TYPES: Record<string, Record<ContractLocale, string>> = {
  passport: { en: 'passport', 'zh-CN': '护照' },
  'id-card': { en: 'identity card', 'zh-CN': '身份证件' },
  'cn-id': { en: 'PRC resident identity card', 'zh-CN': '居民身份证' },
  'residence-permit': { en: 'residence permit', 'zh-CN': '居留许可' },
  visa: { en: 'visa', 'zh-CN': '签证' },
};

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text.replace(/[,%\s]/g, ''));
  return Number.isFinite(value) ? value : null;
}

/** Equal monthly instalments of principal and interest at the nominal annual rate `apr` (%). */
export function monthlyPayment(amount: number, aprPercent: number, months: number): number {
  const rate = aprPercent / 100 / 12;
  if (rate === 0) return amount / months;
  return (amount * rate) / (1 - (1 + rate) ** -months);
}

/** What filling a template needs: known before signing, so the applicant reads the same text. */
export interface ContractFill {
  productId: string;
  locale: ContractLocale;
  reference: string;
  identity: Pick<ConfirmedIdentity, 'fullName' | 'dateOfBirth' | 'documentType' | 'documentNumber' | 'nationality'>;
  loan: LoanApplication;
  /** The contract date, YYYY-MM-DD (UTC). */
  date: string;
}

/**
 * The placeholder values for one session. Checks the loan against the product's limits
 * (`amount_min`/`amount_max`, `term_months_min`/`term_months_max`) when the product states them.
 */
export function contractValues(evidence: ContractFill, product: ContractProduct): Map<string, string> {
  const { identity, loan, locale } = evidence;
  const terms = product.terms;
  const [amountMin, amountMax, termMin, termMax, apr] = ['amount_min', 'amount_max', 'term_months_min', 'term_months_max', 'apr'].map(
    (name) => parseNumber(terms[name]),
  );
  if ((amountMin != null && loan.amount < amountMin) || (amountMax != null && loan.amount > amountMax)) {
    throw new ContractInputError('loan.amount: outside the product limits');
  }
  if ((termMin != null && loan.termMonths < termMin) || (termMax != null && loan.termMonths > termMax)) {
    throw new ContractInputError('loan.termMonths: outside the product limits');
  }
  if (apr == null) throw new ContractInputError(`product ${product.id}: terms.apr is missing or not a number`);
  const values = new Map<string, string>([
    ['applicant.full_name', identity.fullName],
    ['loan.amount', grouping.format(loan.amount)],
    ['loan.term_months', String(loan.termMonths)],
    ['loan.monthly_payment', money.format(monthlyPayment(loan.amount, apr, loan.termMonths))],
    ['contract.reference', evidence.reference],
    ['contract.date', evidence.date],
    ['product.name', product.name[locale] ?? product.name.en ?? product.id],
  ]);
  if (identity.dateOfBirth !== undefined) values.set('applicant.date_of_birth', identity.dateOfBirth);
  if (identity.documentType !== undefined) {
    values.set('applicant.document_type', DOCUMENT_TYPES[identity.documentType]?.[locale] ?? identity.documentType);
  }
  if (identity.documentNumber !== undefined) values.set('applicant.document_number', identity.documentNumber);
  if (identity.nationality !== undefined) values.set('applicant.nationality', identity.nationality);
  for (const [name, value] of Object.entries(terms)) values.set(`terms.${name}`, value);
  return values;
}

/** Fills a checked template: absent optional sections are left out, placeholders replaced. */
export function fillContractTemplate(template: ContractTemplate, values: Map<string, string>): string {
  let text = template.source;
  // Innermost sections first; the parser guarantees they are balanced.
  const SECTION = /\{\{\s*#([a-z_.]+)\s*\}\}((?:(?!\{\{\s*#)[\s\S])*?)\{\{\s*\/\1\s*\}\}/;
  for (let match = SECTION.exec(text); match; match = SECTION.exec(text)) {
    const [whole, name = '', body = ''] = match;
    text = text.slice(0, match.index) + (values.has(name) ? body : '') + text.slice(match.index + whole.length);
  }
  return text.replace(TOKEN, (_whole, _sigil: string, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new ContractInputError(`${template.id}: no value for {{${name}}}`);
    return value;
  });
}

/** Splits filled Markdown into blocks for layout. Lines of one paragraph are joined. */
export function toBlocks(text: string, locale: ContractLocale): ContractBlock[] {
  const blocks: ContractBlock[] = [];
  let paragraph: string[] = [];
  const joiner = locale === 'zh-CN' ? '' : ' ';
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(joiner) });
    paragraph = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('<!--')) {
      flush();
    } else if (line.startsWith('## ')) {
      flush();
      blocks.push({ kind: 'heading', text: line.slice(3).trim() });
    } else if (line.startsWith('# ')) {
      flush();
      blocks.push({ kind: 'title', text: line.slice(2).trim() });
    } else if (line.startsWith('- ')) {
      flush();
      blocks.push({ kind: 'item', text: line.slice(2).trim() });
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}
