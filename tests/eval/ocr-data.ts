/** The MRZ evaluation data format (GROUND_TRUTH.json) and the percentile, shared by eval:ocr and eval:ocr-stress. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Item {
  file: string;
  mrz: string[];
  format?: string;
  all_check_digits_valid: boolean;
}

/** The items of DIR/GROUND_TRUTH.json; `fail` reports what is wrong (and exits). */
export function loadItems(dir: string, fail: (message: string) => never): Item[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`--data ${dir} is not a directory`);
  const truthPath = path.join(dir, 'GROUND_TRUTH.json');
  if (!existsSync(truthPath)) fail(`${truthPath} not found`);
  let truth: unknown;
  try {
    truth = JSON.parse(readFileSync(truthPath, 'utf8'));
  } catch {
    fail(`${truthPath} is not valid JSON`);
  }
  const items = (truth as { items?: unknown }).items;
  if (!Array.isArray(items) || items.length === 0) fail(`${truthPath} has no items[]`);
  for (const item of items as Item[]) {
    if (typeof item?.file !== 'string' || !Array.isArray(item.mrz) || typeof item.all_check_digits_valid !== 'boolean') {
      fail(`${truthPath}: every item needs file, mrz[] and all_check_digits_valid`);
    }
  }
  return items as Item[];
}

/** Nearest-rank percentile (0 for no values). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
