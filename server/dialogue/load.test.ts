import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listStepKinds } from './kinds/registry.ts';
import { loadScriptsFromDir, parseScript, ScriptError } from './load.ts';
import type { ScriptIssue } from './script-error.ts';
import { yaml } from './test-support.ts';

/** Every registered kind, as the error lists them (new kinds must not break these tests). */
const KNOWN = listStepKinds().join(', ');

const HEAD = ['id: test', 'title: { en: Test, zh-CN: 测试 }', 'locales: [en, zh-CN]', 'steps:'];

/** The issues `parseScript` throws for the source (fails the test if it loads). */
function problems(source: string): ScriptIssue[] {
  try {
    parseScript(source, 'scripts/test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return (error as ScriptError).issues;
  }
  throw new Error('expected the script to be rejected');
}

function only(source: string): Pick<ScriptIssue, 'line' | 'column' | 'path' | 'message'> {
  const issues = problems(source);
  expect(issues).toHaveLength(1);
  const [issue] = issues;
  if (issue === undefined) throw new Error('no issue');
  expect(issue.file).toBe('scripts/test.yaml');
  return { line: issue.line, column: issue.column, path: issue.path, message: issue.message };
}

describe('parseScript', () => {
  it('loads a valid script and pins its version to the sha256 of the source', () => {
    const source = yaml(
      ...HEAD,
      '  - id: hello',
      '    kind: say',
      '    text: { en: Hi, zh-CN: 你好 }',
      '  - id: bye',
      '    kind: end',
      '    outcome: completed',
    );
    const loaded = parseScript(source, 'scripts/test.yaml');
    expect(loaded.script.id).toBe('test');
    expect(loaded.script.locales).toEqual(['en', 'zh-CN']);
    expect(loaded.script.steps.map((step) => step.id)).toEqual(['hello', 'bye']);
    expect(loaded.hash).toBe(createHash('sha256').update(source).digest('hex'));
    expect(loaded.source).toBe(source);
    expect(loaded.file).toBe('scripts/test.yaml');
  });

  it('names an unknown kind, with a suggestion and the known kinds', () => {
    const source = yaml(...HEAD, '  - id: hello', '    kind: sya', '    text: { en: Hi, zh-CN: 你好 }');
    expect(only(source)).toEqual({
      line: 6,
      column: 11,
      path: 'steps[0].kind',
      message: `unknown kind 'sya' (did you mean 'say'?); known kinds: ${KNOWN}`,
    });
  });

  it('finds text missing for a declared locale, anywhere in a step', () => {
    const source = yaml(
      ...HEAD,
      '  - id: ask',
      '    kind: consent',
      '    purpose: recording',
      '    text: { en: Agree?, zh-CN: 同意吗 }',
      '    declined:',
      '      en: Goodbye.',
      '  - id: bye',
      '    kind: end',
      '    outcome: completed',
    );
    expect(only(source)).toEqual({
      line: 10,
      column: 7,
      path: 'steps[0].declined.zh-CN',
      message: "missing zh-CN text (the script's locales are en, zh-CN)",
    });
  });

  it('finds a missing title translation', () => {
    const source = yaml(
      'id: test',
      'title:',
      '  en: Test',
      'locales: [en, zh-CN]',
      'steps:',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    expect(only(source)).toMatchObject({ line: 3, column: 3, path: 'title.zh-CN' });
  });

  it('rejects a next that names no step', () => {
    const source = yaml(
      ...HEAD,
      '  - id: hello',
      '    kind: say',
      '    text: { en: Hi, zh-CN: 你好 }',
      '    next: byee',
      '  - id: bye',
      '    kind: end',
      '    outcome: completed',
    );
    expect(only(source)).toEqual({
      line: 8,
      column: 11,
      path: 'steps[0].next',
      message: "no step with id 'byee' (did you mean 'bye'?)",
    });
  });

  it('rejects an onFail that names no step', () => {
    const source = yaml(
      ...HEAD,
      '  - id: name',
      '    kind: question',
      '    text: { en: Name?, zh-CN: 姓名？ }',
      '    onFail: nowhere',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    expect(only(source)).toMatchObject({ line: 8, column: 13, path: 'steps[0].onFail', message: "no step with id 'nowhere'" });
  });

  it('rejects a pattern that is not a valid regular expression', () => {
    const source = yaml(
      ...HEAD,
      '  - id: name',
      '    kind: question',
      '    text: { en: Name?, zh-CN: 姓名？ }',
      '    answer:',
      '      type: text',
      '      pattern: "[a-"',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    const issue = only(source);
    expect(issue).toMatchObject({ line: 10, column: 16, path: 'steps[0].answer.pattern' });
    expect(issue.message).toMatch(/^invalid regular expression: /);
  });

  it('rejects a maxAttempts that is not a number', () => {
    const source = yaml(
      ...HEAD,
      '  - id: name',
      '    kind: question',
      '    text: { en: Name?, zh-CN: 姓名？ }',
      '    maxAttempts: three',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    expect(only(source)).toEqual({
      line: 8,
      column: 18,
      path: 'steps[0].maxAttempts',
      message: 'expected a number from 1 to 10',
    });
  });

  it('rejects a maxAttempts out of range', () => {
    const source = yaml(
      ...HEAD,
      '  - id: name',
      '    kind: question',
      '    text: { en: Name?, zh-CN: 姓名？ }',
      '    maxAttempts: 11',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    expect(only(source)).toMatchObject({ path: 'steps[0].maxAttempts', message: 'expected a number from 1 to 10' });
  });

  it('rejects duplicate step ids at the second one', () => {
    const source = yaml(
      ...HEAD,
      '  - id: hello',
      '    kind: say',
      '    text: { en: Hi, zh-CN: 你好 }',
      '  - id: hello',
      '    kind: end',
      '    outcome: completed',
    );
    expect(only(source)).toEqual({
      line: 8,
      column: 9,
      path: 'steps[1].id',
      message: "duplicate step id 'hello' (also steps[0])",
    });
  });

  it('points at the key of a field a kind does not have', () => {
    const source = yaml(
      ...HEAD,
      '  - id: hello',
      '    kind: say',
      '    text: { en: Hi, zh-CN: 你好 }',
      '    maxAtempts: 2',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    expect(only(source)).toEqual({ line: 8, column: 5, path: 'steps[0].maxAtempts', message: "unknown field 'maxAtempts'" });
  });

  it('points at the step for a missing required field', () => {
    const source = yaml(...HEAD, '  - id: hello', '    kind: say', '  - { id: bye, kind: end, outcome: completed }');
    expect(only(source)).toEqual({ line: 5, column: 5, path: 'steps[0].text', message: 'required field is missing' });
  });

  it('rejects an unknown locale', () => {
    const source = yaml('id: test', 'title: { en: Test }', 'locales: [en, fr]', 'steps:', '  - { id: bye, kind: end, outcome: completed }');
    expect(only(source)).toEqual({ line: 3, column: 15, path: 'locales[1]', message: 'expected en or zh-CN' });
  });

  it('rejects text in a locale the product does not know', () => {
    const source = yaml(...HEAD, '  - id: hello', '    kind: say', '    text: { en: Hi, zh-CN: 你好, fr: Salut }', '  - { id: bye, kind: end, outcome: completed }');
    expect(only(source)).toMatchObject({ line: 7, column: 32, path: 'steps[0].text.fr', message: "unknown locale 'fr'; known locales: en, zh-CN" });
  });

  it('rejects a script id that is not a slug', () => {
    const source = yaml('id: My Script', 'title: { en: T, zh-CN: T }', 'locales: [en, zh-CN]', 'steps:', '  - { id: bye, kind: end, outcome: completed }');
    expect(only(source)).toMatchObject({ line: 1, column: 5, path: 'id' });
  });

  it('rejects a script that runs past its last step', () => {
    const source = yaml(...HEAD, '  - id: hello', '    kind: say', '    text: { en: Hi, zh-CN: 你好 }');
    expect(only(source)).toMatchObject({ line: 5, column: 5, path: 'steps[0]', message: expect.stringContaining('runs out') });
  });

  it('rejects a loop that never waits for the applicant', () => {
    const source = yaml(
      ...HEAD,
      '  - { id: a, kind: say, text: { en: A, zh-CN: A } }',
      '  - { id: b, kind: say, text: { en: B, zh-CN: B }, next: a }',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    const issues = problems(source);
    expect(issues.map((issue) => [issue.path, issue.line])).toEqual([
      ['steps', 5],
      ['steps[1].next', 6],
    ]);
    expect(issues[0]?.message).toBe("no 'end' step can be reached");
    expect(issues[1]?.message).toBe("loops back to 'a' without waiting for the applicant (a -> b -> a)");
  });

  it('accepts a loop through a step that waits for an answer', () => {
    const source = yaml(
      ...HEAD,
      '  - { id: ask, kind: question, text: { en: Q, zh-CN: Q } }',
      '  - { id: again, kind: consent, purpose: done, text: { en: Done?, zh-CN: 好了吗 }, onFail: ask }',
      '  - { id: bye, kind: end, outcome: completed }',
    );
    expect(parseScript(source, 'x.yaml').script.steps).toHaveLength(3);
  });

  it('reports YAML syntax errors with their position', () => {
    const issues = problems(yaml('id: test', 'title: { en: Test', 'steps: []'));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: 'scripts/test.yaml', path: '', line: expect.any(Number) });
    expect(issues[0]?.message).toMatch(/^YAML: /);
  });

  it('lists every problem in the error message, in file order', () => {
    const source = yaml(
      ...HEAD,
      '  - id: name',
      '    kind: question',
      '    text: { en: Name? }',
      '    maxAttempts: 0',
      '  - id: bye',
      '    kind: ending',
    );
    try {
      parseScript(source, 'scripts/test.yaml');
      expect.unreachable();
    } catch (error) {
      const { message, issues } = error as ScriptError;
      expect(issues.map((issue) => issue.path)).toEqual(['steps[0].maxAttempts', 'steps[1].kind']);
      expect(message).toBe(
        [
          'Invalid script (2 problems):',
          '  scripts/test.yaml:8:18: steps[0].maxAttempts: expected a number from 1 to 10',
          `  scripts/test.yaml:10:11: steps[1].kind: unknown kind 'ending'; known kinds: ${KNOWN}`,
        ].join('\n'),
      );
    }
  });
});

describe('loadScriptsFromDir', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  const minimal = (id: string) =>
    yaml(`id: ${id}`, 'title: { en: T }', 'locales: [en]', 'steps:', '  - { id: bye, kind: end, outcome: completed }');

  it('loads every .yaml and .yml file in name order and ignores other files', () => {
    dir = mkdtempSync(join(tmpdir(), 'attest-scripts-'));
    writeFileSync(join(dir, 'b.yml'), minimal('second'));
    writeFileSync(join(dir, 'a.yaml'), minimal('first'));
    writeFileSync(join(dir, 'README.md'), '# not a script');
    const loaded = loadScriptsFromDir(dir);
    expect(loaded.map((script) => [script.script.id, script.file])).toEqual([
      ['first', join(dir, 'a.yaml')],
      ['second', join(dir, 'b.yml')],
    ]);
  });

  it('rejects a script id used twice, and reports problems of every file together', () => {
    dir = mkdtempSync(join(tmpdir(), 'attest-scripts-'));
    writeFileSync(join(dir, 'a.yaml'), minimal('same'));
    writeFileSync(join(dir, 'b.yaml'), minimal('same'));
    writeFileSync(join(dir, 'c.yaml'), minimal('Bad Id'));
    try {
      loadScriptsFromDir(dir);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScriptError);
      const issues = (error as ScriptError).issues;
      expect(issues.map((issue) => [issue.file, issue.line, issue.column, issue.path])).toEqual([
        [join(dir, 'b.yaml'), 1, 5, 'id'],
        [join(dir, 'c.yaml'), 1, 5, 'id'],
      ]);
      expect(issues[0]?.message).toBe(`duplicate script id 'same' (also in ${join(dir, 'a.yaml')})`);
    }
  });

  it('loads the shipped scripts', () => {
    const loaded = loadScriptsFromDir('prompts/scripts');
    expect(loaded.map((script) => script.script.id)).toContain('onboarding');
    const onboarding = loaded.find((script) => script.script.id === 'onboarding');
    expect(onboarding?.source).toBe(readFileSync('prompts/scripts/onboarding.yaml', 'utf8'));
  });
});
