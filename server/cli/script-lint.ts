/**
 * `npm run script:lint -- FILE [FILE...]`
 *
 * Lints conversation scripts against the compliance rules (docs/script-lint.md) with the products
 * and contract templates of this installation (ATTEST_PRODUCTS_DIR, ATTEST_CONTRACTS_DIR).
 * Publishable (no errors): exit 0, warnings as lines, then one summary line. Otherwise exit 1
 * with one line per problem, `FILE:LINE:COL: error|warning: message [rule]`. Bad usage: exit 2.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { formatLintIssue, lintEnvironmentFromDirs, lintScript } from '../studio/lint/index.ts';

const USAGE = 'usage: npm run script:lint -- FILE [FILE...]';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function main(argv: string[]): number {
  const files = argv.filter((arg) => arg !== '--');
  if (files.length === 0 || files.some((file) => file === '-h' || file === '--help' || file.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env);
  const env = lintEnvironmentFromDirs(config.productsDir, config.contractsDir);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      lines.push(`${file}:1:1: error: cannot read the file [file]`);
      errors += 1;
      continue;
    }
    const result = lintScript(source, file, env);
    for (const issue of result.issues) {
      lines.push(formatLintIssue(file, issue));
      if (issue.severity === 'error') errors += 1;
      else warnings += 1;
    }
  }
  for (const line of lines) console.log(line);
  if (errors > 0) return 1;
  console.log(`${plural(files.length, 'script')} publishable: 0 errors, ${plural(warnings, 'warning')}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
