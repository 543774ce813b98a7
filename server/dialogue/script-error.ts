/** The one error a script that cannot be used raises: every problem, each with its place. */

export interface ScriptIssue {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path like `steps[2].text.zh-CN`; empty for problems with the file itself. */
  path: string;
  message: string;
}

export function formatIssue(issue: ScriptIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

/** `['steps', 2, 'text', 'zh-CN']` -> `steps[2].text.zh-CN`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

function byPlace(a: ScriptIssue, b: ScriptIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path);
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  /** Sorted by file, line and column. */
  readonly issues: ScriptIssue[];

  constructor(issues: ScriptIssue[]) {
    const sorted = [...issues].sort(byPlace);
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    super(`Invalid script (${count}):\n${sorted.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`);
    this.issues = sorted;
  }
}
