import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from './diff.ts';

/** Applies a diff to the old text: the result must be the new text (checks any diff is sound). */
function apply(before: string, diff: ReturnType<typeof diffLines>): string {
  const old = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  for (const line of diff.lines) {
    if (line.op === 'del' || line.op === 'same') expect(old[(line.oldLine ?? 0) - 1]).toBe(line.text);
    if (line.op !== 'del') out.push(line.text);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

describe('diffLines', () => {
  it('finds a changed line with its numbers on both sides', () => {
    const diff = diffLines('a\nb\nc\n', 'a\nB\nc\n');
    expect(diff.lines).toEqual([
      { op: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { op: 'del', text: 'b', oldLine: 2 },
      { op: 'add', text: 'B', newLine: 2 },
      { op: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ]);
    expect([diff.added, diff.removed]).toEqual([1, 1]);
  });

  it('is minimal for insertions and deletions and always reconstructs the new text', () => {
    const cases: [string, string][] = [
      ['', 'x\ny\n'],
      ['x\ny\n', ''],
      ['a\nb\nc\nd\n', 'a\nc\nd\ne\n'],
      ['1\n2\n3\n4\n5\n6\n', '0\n1\n3\n4\nX\n6\n7\n'],
      ['same\n', 'same\n'],
    ];
    for (const [before, after] of cases) {
      const diff = diffLines(before, after);
      expect(apply(before, diff)).toBe(after);
    }
    expect(diffLines('a\nb\nc\nd\n', 'a\nc\nd\ne\n')).toMatchObject({ added: 1, removed: 1 });
    expect(diffLines('same\n', 'same\n')).toMatchObject({ added: 0, removed: 0 });
  });

  it('stays bounded on very different large texts, still reconstructing the new one', () => {
    const before = `${Array.from({ length: 2500 }, (_, i) => `old ${i}`).join('\n')}\n`;
    const after = `keep\n${Array.from({ length: 2500 }, (_, i) => `new ${i}`).join('\n')}\n`;
    const diff = diffLines(`keep\n${before}`, after);
    expect(diff).toMatchObject({ added: 2500, removed: 2500 });
    expect(apply(`keep\n${before}`, diff)).toBe(after);
  });
});

describe('unifiedDiff', () => {
  it('writes hunks with context and line ranges', () => {
    const before = `${Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
    const after = before.replace('line 3\n', 'line three\n').replace('line 18\n', '');
    const text = unifiedDiff(diffLines(before, after), 'v1', 'v2', 2);
    expect(text).toBe(
      [
        '--- v1',
        '+++ v2',
        '@@ -1,5 +1,5 @@',
        ' line 1',
        ' line 2',
        '-line 3',
        '+line three',
        ' line 4',
        ' line 5',
        '@@ -16,5 +16,4 @@',
        ' line 16',
        ' line 17',
        '-line 18',
        ' line 19',
        ' line 20',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff(diffLines('a\n', 'a\n'), 'v1', 'v2')).toBe('');
  });
});
