/**
 * The compliance lint: a script's YAML -> problems with rule, severity and line:column. First
 * the same schema the server loads scripts with (`parseScript`); if it passes, every rule in
 * `rules/`. Schema problems that a rule is about (a missing locale, a path that runs out) are
 * reported under that rule's id, the rest under `schema`.
 */
import { locateInScript, parseScript, ScriptError } from '../../dialogue/index.ts';
import type { LoadedScript } from '../../dialogue/index.ts';
import { formatPath } from '../../dialogue/script-error.ts';
import { buildGraph } from './graph.ts';
import { FLOW_MESSAGE } from './rules/paths-end.ts';
import { MISSING_LOCALE } from './rules/locales-complete.ts';
import { RULES } from './rules/index.ts';
import type { LintEnvironment, LintIssue, LintResult } from './types.ts';

export const SCHEMA_RULE = 'schema';

function schemaRuleOf(message: string): string {
  if (MISSING_LOCALE.test(message)) return 'locales-complete';
  if (FLOW_MESSAGE.test(message)) return 'paths-end';
  return SCHEMA_RULE;
}

function byPlace(a: LintIssue, b: LintIssue): number {
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}

export function lintScript(source: string, file: string, env: LintEnvironment): LintResult {
  let loaded: LoadedScript;
  try {
    loaded = parseScript(source, file);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    const issues = error.issues.map((issue): LintIssue => ({
      rule: schemaRuleOf(issue.message),
      severity: 'error',
      line: issue.line,
      column: issue.column,
      path: issue.path,
      message: issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
    }));
    return { issues: issues.sort(byPlace), publishable: false, loaded: null };
  }
  const locate = locateInScript(source, file);
  const graph = buildGraph(loaded.script);
  const context = { script: loaded.script, loaded, graph, env };
  const issues: LintIssue[] = [];
  for (const rule of RULES) {
    for (const finding of rule.check(context)) {
      const { line, column } = locate?.(finding.path, finding.atKey) ?? { line: 1, column: 1 };
      issues.push({
        rule: rule.id,
        severity: finding.severity ?? rule.severity,
        line,
        column,
        path: formatPath(finding.path),
        message: finding.message,
      });
    }
  }
  issues.sort(byPlace);
  return { issues, publishable: !issues.some((issue) => issue.severity === 'error'), loaded };
}

/** `FILE:LINE:COL: error|warning: message [rule]`, the CLI's and the docs' format. */
export function formatLintIssue(file: string, issue: LintIssue): string {
  return `${file}:${issue.line}:${issue.column}: ${issue.severity}: ${issue.message} [${issue.rule}]`;
}
