/**
 * Opens what sealing contracts needs at startup: the keys (generated on first run under
 * `<dataDir>/keys`, or configured by path), the fonts and the templates, and checks that every
 * contract step of every script has a template in each of the script's locales, a product and a
 * demo loan. Any problem throws a ContractKeyError / ContractInputError naming the file or step.
 */
import { existsSync } from 'node:fs';
import { contractKeysDir, openContractKeys } from './keys.ts';
import { ContractInputError } from './errors.ts';
import { CONTRACT_LOCALES } from './evidence.ts';
import { defaultLoan } from './loan.ts';
import { loadContractFontsOrFallback } from './pdf.ts';
import type { ContractFonts } from './pdf.ts';
import { contractSteps } from './session.ts';
import type { ContractRuntime } from './session.ts';
import { loadContractTemplates } from './template.ts';
import type { ContractProduct } from './template.ts';
import type { LoadedScript } from '../dialogue/index.ts';

export interface ContractRuntimeOptions {
  dataDir: string;
  templatesDir: string;
  getProduct(id: string): ContractProduct | undefined;
  ed25519KeyPath?: string;
  p12Path?: string;
  p12Passphrase?: string;
  /** Tests pass fonts they loaded once. */
  fonts?: ContractFonts;
}

export function openContractRuntime(options: ContractRuntimeOptions): ContractRuntime {
  const keys = openContractKeys({
    dir: contractKeysDir(options.dataDir),
    ...(options.ed25519KeyPath !== undefined ? { ed25519KeyPath: options.ed25519KeyPath } : {}),
    ...(options.p12Path !== undefined ? { p12Path: options.p12Path } : {}),
    ...(options.p12Passphrase !== undefined ? { p12Passphrase: options.p12Passphrase } : {}),
  });
  const loadedFonts = options.fonts ? { fonts: options.fonts, problem: null } : loadContractFontsOrFallback();
  const fonts = loadedFonts.fonts;
  if (!existsSync(options.templatesDir)) throw new ContractInputError(`the contract templates folder ${options.templatesDir} does not exist`);
  const templates = loadContractTemplates(options.templatesDir, options.getProduct);
  return { keys, fonts, templates, getProduct: options.getProduct, fontProblem: loadedFonts.problem };
}

/** Every contract step can be sealed in every locale of its script. */
export function checkContractSteps(runtime: ContractRuntime, scripts: LoadedScript[]): void {
  for (const { script, file } of scripts) {
    for (const step of contractSteps(script)) {
      const product = runtime.getProduct(step.product);
      if (!product) throw new ContractInputError(`${file}: step "${step.id}" names product "${step.product}", which is not loaded`);
      for (const locale of script.locales) {
        if (!(CONTRACT_LOCALES as readonly string[]).includes(locale)) {
          throw new ContractInputError(`${file}: step "${step.id}": contracts are not available in ${locale}`);
        }
        if (!runtime.templates.has(`${step.product}.${locale}`)) {
          throw new ContractInputError(`${file}: step "${step.id}" needs the contract template ${step.product}.${locale}.md`);
        }
      }
      const demo = defaultLoan(product);
      if (!demo.ok) throw new ContractInputError(`${file}: step "${step.id}": ${demo.problem}`);
    }
  }
}
