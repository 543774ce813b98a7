/** The lint's view of an installation: its products and contract templates. */
import { loadContractTemplates } from '../../contract/index.ts';
import { loadProductsFromDir } from '../../intent/products.ts';
import type { LintEnvironment } from './types.ts';

interface Sources {
  getProduct(id: string): { id: string; name: Partial<Record<'en' | 'zh-CN', string>>; terms: Record<string, string> } | undefined;
  /** Template ids `<product>.<locale>`. */
  templateIds: Iterable<string>;
}

export function lintEnvironmentFrom(sources: Sources): LintEnvironment {
  const templates = new Set(sources.templateIds);
  return {
    product: (id) => sources.getProduct(id),
    hasContractTemplate: (productId, locale) => templates.has(`${productId}.${locale}`),
  };
}

/** Reads the products and contract templates folders (as the CLI does, without a server). */
export function lintEnvironmentFromDirs(productsDir: string, contractsDir: string): LintEnvironment {
  const products = new Map(loadProductsFromDir(productsDir).map((product) => [product.id, product] as const));
  const getProduct = (id: string) => products.get(id);
  return lintEnvironmentFrom({ getProduct, templateIds: loadContractTemplates(contractsDir, getProduct).keys() });
}
