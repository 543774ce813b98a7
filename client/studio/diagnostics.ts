/** Lint issues (1-based line:column) as CodeMirror diagnostics (document offsets). Pure. */
import type { LintIssue } from './api.ts';

export interface OffsetDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
  source: string;
}

/** Offsets of the start of each line of `text`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') starts.push(index + 1);
  return starts;
}

/**
 * Each issue marks from its column to the end of the token there (at least one character), on
 * its line; an issue past the end of the text is clamped to it.
 */
export function toDiagnostics(text: string, issues: readonly LintIssue[]): OffsetDiagnostic[] {
  const starts = lineStarts(text);
  return issues.map((issue) => {
    const lineIndex = Math.min(Math.max(issue.line, 1), starts.length) - 1;
    const lineStart = starts[lineIndex] ?? 0;
    const lineEnd = lineIndex + 1 < starts.length ? (starts[lineIndex + 1] ?? text.length) - 1 : text.length;
    const from = Math.min(lineStart + Math.max(issue.column, 1) - 1, lineEnd);
    const token = /^[^\s:,{}[\]]+/.exec(text.slice(from, lineEnd))?.[0].length ?? 0;
    const to = Math.min(Math.max(from + token, from + 1), Math.max(lineEnd, from + 1), text.length);
    return { from, to: Math.max(to, from), severity: issue.severity, message: issue.message, source: issue.rule };
  });
}
