import { describe, expect, it } from 'vitest';
import { toDiagnostics } from './diagnostics.ts';
import type { LintIssue } from './api.ts';

const issue = (line: number, column: number): LintIssue => ({ rule: 'schema', severity: 'error', line, column, path: '', message: 'm' });

describe('toDiagnostics', () => {
  const text = 'id: test\nsteps:\n  - id: hello\n    maxAtempts: 3\n';

  it('marks the token at line:column', () => {
    const [diagnostic] = toDiagnostics(text, [issue(4, 5)]);
    expect(text.slice(diagnostic!.from, diagnostic!.to)).toBe('maxAtempts');
    expect(diagnostic).toMatchObject({ severity: 'error', source: 'schema', message: 'm' });
  });

  it('keeps issues inside the text, at least one character wide where there is one', () => {
    const [first, past, end] = toDiagnostics(text, [issue(1, 1), issue(99, 1), issue(2, 99)]);
    expect(text.slice(first!.from, first!.to)).toBe('id');
    expect(past!.from).toBeLessThanOrEqual(text.length);
    expect(end!.from).toBe(text.indexOf('\n', 9));
  });
});
