/** The studio's compliance lint: rules a script must pass before it can be published. */
export { formatLintIssue, lintScript, SCHEMA_RULE } from './lint.ts';
export { RULES } from './rules/index.ts';
export { lintEnvironmentFrom, lintEnvironmentFromDirs } from './environment.ts';
export type { Finding, LintEnvironment, LintIssue, LintResult, LintRule, Severity } from './types.ts';
