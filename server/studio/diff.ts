/**
 * Line diff between two script versions: the longest common subsequence of lines, as a list of
 * kept / removed / added lines with their numbers, and as unified-diff text with context.
 */

export interface DiffLine {
  op: 'same' | 'del' | 'add';
  text: string;
  /** 1-based line in the old text (same, del). */
  oldLine?: number;
  /** 1-based line in the new text (same, add). */
  newLine?: number;
}

export interface LineDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The diff of `before` -> `after`, line by line (common prefix and suffix trimmed first). */
export function diffLines(before: string, after: string): LineDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_TABLE_CELLS) return replaced(a, b, start, endA, endB);
  // lcs[i][j] = length of the LCS of midA[i:] and midB[j:].
  const width = midB.length + 1;
  const lcs = new Uint32Array((midA.length + 1) * width);
  for (let i = midA.length - 1; i >= 0; i -= 1) {
    for (let j = midB.length - 1; j >= 0; j -= 1) {
      lcs[i * width + j] = midA[i] === midB[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const lines: DiffLine[] = [];
  for (let k = 0; k < start; k += 1) lines.push({ op: 'same', text: a[k] ?? '', oldLine: k + 1, newLine: k + 1 });
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      lines.push({ op: 'same', text: midA[i] ?? '', oldLine: start + i + 1, newLine: start + j + 1 });
      i += 1;
      j += 1;
    } else if (j < midB.length && (i >= midA.length || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))) {
      lines.push({ op: 'add', text: midB[j] ?? '', newLine: start + j + 1 });
      j += 1;
    } else {
      lines.push({ op: 'del', text: midA[i] ?? '', oldLine: start + i + 1 });
      i += 1;
    }
  }
  for (let k = 0; k < a.length - endA; k += 1) {
    lines.push({ op: 'same', text: a[endA + k] ?? '', oldLine: endA + k + 1, newLine: endB + k + 1 });
  }
  // Removals before additions within a change reads best; the walk above may interleave them.
  return {
    lines: groupChanges(lines),
    added: lines.filter((line) => line.op === 'add').length,
    removed: lines.filter((line) => line.op === 'del').length,
  };
}

/** Bounds the LCS table (4 bytes a cell): past it the changed middle is shown as replaced whole. */
export const MAX_TABLE_CELLS = 4_000_000;

function replaced(a: string[], b: string[], start: number, endA: number, endB: number): LineDiff {
  const lines: DiffLine[] = [];
  for (let k = 0; k < start; k += 1) lines.push({ op: 'same', text: a[k] ?? '', oldLine: k + 1, newLine: k + 1 });
  for (let k = start; k < endA; k += 1) lines.push({ op: 'del', text: a[k] ?? '', oldLine: k + 1 });
  for (let k = start; k < endB; k += 1) lines.push({ op: 'add', text: b[k] ?? '', newLine: k + 1 });
  for (let k = 0; k < a.length - endA; k += 1) lines.push({ op: 'same', text: a[endA + k] ?? '', oldLine: endA + k + 1, newLine: endB + k + 1 });
  return { lines, added: endB - start, removed: endA - start };
}

function groupChanges(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let dels: DiffLine[] = [];
  let adds: DiffLine[] = [];
  const flush = () => {
    out.push(...dels, ...adds);
    dels = [];
    adds = [];
  };
  for (const line of lines) {
    if (line.op === 'del') dels.push(line);
    else if (line.op === 'add') adds.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** Unified diff text (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with `context` lines around changes). */
export function unifiedDiff(diff: LineDiff, oldName: string, newName: string, context = 3): string {
  const { lines } = diff;
  const changed = lines.map((line, index) => (line.op === 'same' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] ?? 0;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] ?? 0) - last <= 2 * context + 1) {
      k += 1;
      last = changed[k] ?? last;
    }
    k += 1;
    const from = Math.max(0, first - context);
    const to = Math.min(lines.length - 1, last + context);
    const hunk = lines.slice(from, to + 1);
    const oldStart = hunk.find((line) => line.oldLine !== undefined)?.oldLine ?? 0;
    const newStart = hunk.find((line) => line.newLine !== undefined)?.newLine ?? 0;
    const oldCount = hunk.filter((line) => line.op !== 'add').length;
    const newCount = hunk.filter((line) => line.op !== 'del').length;
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`);
    for (const line of hunk) out.push(`${line.op === 'same' ? ' ' : line.op === 'del' ? '-' : '+'}${line.text}`);
  }
  return `${out.join('\n')}\n`;
}
