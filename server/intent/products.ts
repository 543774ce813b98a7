/**
 * Product terms as data (prompts/products/*.yaml): the figures disclosures, FAQ answers and the
 * contract use. FAQ answers refer to terms as {{name}}; they are filled in at load, and an
 * unknown name is an error, so no answer can state a term the product does not have.
 *
 * Loaded products are registered once at startup (like step kinds) so the pure dialogue
 * runner can answer from them; `getProduct` never reads files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { FaqEntry } from './faq.ts';
import { indexFaq } from './faq.ts';
import type { FaqIndex } from './faq.ts';

const ZText = z.string().trim().min(1).max(4000);
const ZPerLocale = <T extends z.ZodType>(value: T) => z.strictObject({ en: value.optional(), 'zh-CN': value.optional() });

export const ZProductFile = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "expected a lowercase slug: letters, digits and '-'" }),
  name: ZPerLocale(ZText),
  terms: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.union([z.string(), z.number()]).transform(String)),
  faq: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
        questions: ZPerLocale(z.array(ZText).min(1)),
        answer: ZPerLocale(ZText),
      }),
    )
    .default([]),
});

export interface Product {
  id: string;
  name: Partial<Record<'en' | 'zh-CN', string>>;
  terms: Record<string, string>;
  /** FAQ with every {{term}} filled in. */
  faq: FaqEntry[];
  index: FaqIndex;
}

export class ProductError extends Error {}

function fill(text: string, terms: Record<string, string>, where: string): string {
  return text.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    const value = terms[name];
    if (value === undefined) throw new ProductError(`${where}: unknown term {{${name}}}`);
    return value;
  });
}

/** Parses and checks one product file. Throws `ProductError` naming the file and field. */
export function parseProduct(source: string, file: string): Product {
  let raw: unknown;
  try {
    raw = parse(source);
  } catch (error) {
    throw new ProductError(`${file}: not valid YAML (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = ZProductFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProductError(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const { id, name, terms } = parsed.data;
  const faq: FaqEntry[] = parsed.data.faq.map((entry, at) => {
    const answer: FaqEntry['answer'] = {};
    for (const [locale, text] of Object.entries(entry.answer) as ['en' | 'zh-CN', string | undefined][]) {
      if (text !== undefined) answer[locale] = fill(text, terms, `${file}: faq[${at}].answer.${locale}`);
    }
    return { id: entry.id, questions: entry.questions, answer };
  });
  return { id, name, terms, faq, index: indexFaq(faq) };
}

export function loadProductsFromDir(dir: string): Product[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => parseProduct(readFileSync(join(dir, name), 'utf8'), join(dir, name)));
}

const products = new Map<string, Product>();

/** Registers products for the dialogue (at startup). A product id registered twice is replaced. */
export function registerProducts(list: Product[]): void {
  for (const product of list) products.set(product.id, product);
}

export function getProduct(id: string): Product | undefined {
  return products.get(id);
}
