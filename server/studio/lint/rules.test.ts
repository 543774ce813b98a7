/**
 * Each compliance rule with a script that breaks it (the rule fires, as an error or warning,
 * at the right line) and the compliant script (it does not fire).
 */
import { describe, expect, it } from 'vitest';
import { RULES } from './rules/index.ts';
import { lintEnvironmentFrom } from './environment.ts';
import { lintScript } from './lint.ts';
import { compliantSteps, HEADER, issuesOf, lint, PRODUCT, scriptSource } from './test-support.ts';

function without(...ids: string[]): Record<string, string[]> {
  const steps = compliantSteps();
  for (const id of ids) delete steps[id];
  return steps;
}

/** Steps in a new order (ids of compliantSteps). */
function ordered(...ids: string[]): Record<string, string[]> {
  const steps = compliantSteps();
  return Object.fromEntries(ids.map((id) => [id, steps[id] ?? []]));
}

/** The line number (1-based) of the first line of the script source containing `text`. */
function lineOf(source: string, text: string): number {
  return source.split('\n').findIndex((line) => line.includes(text)) + 1;
}

const compliant = lint(scriptSource());

describe('the compliant script', () => {
  it('has no issue under any rule and is publishable', () => {
    expect(compliant.issues).toEqual([]);
    expect(compliant.publishable).toBe(true);
    expect(RULES.map((rule) => rule.id)).toEqual([
      'consent-before-recording',
      'identity-document',
      'liveness',
      'disclosure-terms',
      'intent-questions',
      'contract-signature',
      'elements-order',
      'locales-complete',
      'bounded-waits',
      'paths-end',
      'product-references',
    ]);
  });
});

describe('consent-before-recording', () => {
  it('fails without a recording consent', () => {
    const result = lint(scriptSource(without('consent')));
    const issues = issuesOf(result, 'consent-before-recording');
    expect(issues[0]).toMatchObject({ severity: 'error', line: 4, column: 1 });
    expect(issues[0]?.message).toMatch(/no consent to record: add a `consent` step with `purpose: recording`/);
    expect(result.publishable).toBe(false);
  });

  it('fails when a step captures the applicant before the consent', () => {
    const source = scriptSource(ordered('document', 'consent', 'live', 'disclosure', 'understands', 'voluntary', 'self', 'contract', 'done', 'declined', 'review'));
    const issues = issuesOf(lint(source), 'consent-before-recording');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', line: lineOf(source, 'kind: document'), column: 11 });
    expect(issues[0]?.message).toContain("step 'document' (document) can capture the applicant before they consent to recording at 'consent'");
  });

  it('fails when the consent is for something else than recording', () => {
    const steps = compliantSteps();
    steps.consent = steps.consent!.map((line) => line.replace('purpose: recording', 'purpose: marketing'));
    expect(issuesOf(lint(scriptSource(steps)), 'consent-before-recording')[0]?.message).toMatch(/^no consent to record/);
  });

  it('passes with the consent first', () => {
    expect(issuesOf(compliant, 'consent-before-recording')).toEqual([]);
  });
});

describe('identity-document', () => {
  it('fails without a document step', () => {
    const issues = issuesOf(lint(scriptSource(without('document'))), 'identity-document');
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', line: 4, column: 1 })]);
    expect(issues[0]?.message).toMatch(/^no identity document: add a `document` step/);
  });

  it('fails when a failed document check still leads on to completion', () => {
    const steps = compliantSteps();
    steps.document = steps.document!.map((line) => line.replace('onFail: review', 'onFail: live'));
    const source = scriptSource(steps);
    const issues = issuesOf(lint(source), 'identity-document');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', line: lineOf(source, 'outcome: completed') });
    expect(issues[0]?.message).toContain("end step 'done' completes the session on a path that skips the identity document ('document' not passed)");
  });

  it('is a warning when the script declares identity verified before the session', () => {
    const result = lint(scriptSource(without('document', 'live'), [...HEADER, 'compliance: { identity: before-session }']));
    expect(issuesOf(result, 'identity-document')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(result.publishable).toBe(true);
  });

  it('passes with a document step on the way', () => {
    expect(issuesOf(compliant, 'identity-document')).toEqual([]);
  });
});

describe('liveness', () => {
  it('fails without a liveness step', () => {
    const issues = issuesOf(lint(scriptSource(without('live'))), 'liveness');
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', line: 4, column: 1 })]);
    expect(issues[0]?.message).toMatch(/^no liveness check: add a `liveness` step/);
  });

  it('passes with one', () => {
    expect(issuesOf(compliant, 'liveness')).toEqual([]);
  });
});

describe('disclosure-terms', () => {
  it('fails without a disclosure', () => {
    expect(issuesOf(lint(scriptSource(without('disclosure'))), 'disclosure-terms')[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^no disclosure of the product's terms/),
    });
  });

  it('fails for a product that does not exist, at the product field', () => {
    const steps = compliantSteps();
    steps.disclosure = steps.disclosure!.map((line) => line.replace('product: test-loan', 'product: no-such-loan'));
    const source = scriptSource(steps);
    const issues = issuesOf(lint(source), 'disclosure-terms');
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', line: lineOf(source, 'no-such-loan'), column: 14 })]);
    expect(issues[0]?.message).toContain("disclosure 'disclosure' names product 'no-such-loan', which does not exist");
  });

  it('fails without a product, and warns about a figure the product does not have', () => {
    const steps = compliantSteps();
    steps.disclosure = steps.disclosure!.filter((line) => !line.includes('product:'));
    expect(issuesOf(lint(scriptSource(steps)), 'disclosure-terms')[0]?.message).toMatch(/names no product: add product: <id>/);
    const wrong = compliantSteps();
    wrong.disclosure = wrong.disclosure!.map((line) => line.replace('The APR is 7.2%', 'The APR is 6.9%'));
    const issues = issuesOf(lint(scriptSource(wrong)), 'disclosure-terms');
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', path: 'steps[3].text.en' })]);
    expect(issues[0]?.message).toContain('states 6.9, not among the terms of product');
  });

  it('passes when the disclosure names the product and states its figures', () => {
    expect(issuesOf(compliant, 'disclosure-terms')).toEqual([]);
  });
});

describe('intent-questions', () => {
  for (const [id, what] of [
    ['understands', 'understands the terms'],
    ['voluntary', 'acts voluntarily'],
    ['self', 'applies for themselves'],
  ] as const) {
    it(`fails without the question that the applicant ${what}`, () => {
      const issues = issuesOf(lint(scriptSource(without(id))), 'intent-questions');
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ severity: 'error', message: expect.stringContaining(`no question that the applicant ${what}`) });
    });
  }

  it('does not count a question expecting deny', () => {
    const steps = compliantSteps();
    steps.voluntary = steps.voluntary!.map((line) => line.replace('expect: affirm', 'expect: deny'));
    expect(issuesOf(lint(scriptSource(steps)), 'intent-questions')).toHaveLength(1);
  });

  it('passes with all three', () => {
    expect(issuesOf(compliant, 'intent-questions')).toEqual([]);
  });
});

describe('contract-signature', () => {
  it('fails without a contract step', () => {
    expect(issuesOf(lint(scriptSource(without('contract'))), 'contract-signature')[0]?.message).toMatch(/^no contract signature/);
  });

  it('fails for a product that does not exist', () => {
    const steps = compliantSteps();
    steps.contract = steps.contract!.map((line) => line.replace('product: test-loan', 'product: other-loan'));
    expect(issuesOf(lint(scriptSource(steps)), 'contract-signature')[0]?.message).toContain(
      "contract 'contract' names product 'other-loan', which does not exist",
    );
  });

  it('fails for a locale without a contract template', () => {
    const enOnly = lintEnvironmentFrom({ getProduct: (id) => (id === PRODUCT.id ? PRODUCT : undefined), templateIds: ['test-loan.en'] });
    const issues = issuesOf(lintScript(scriptSource(), 'test.yaml', enOnly), 'contract-signature');
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', path: 'steps[7].product' })]);
    expect(issues[0]?.message).toBe("contract 'contract' has no zh-CN template: add prompts/contracts/test-loan.zh-CN.md or drop zh-CN from locales");
  });

  it('passes with a contract whose templates exist', () => {
    expect(issuesOf(compliant, 'contract-signature')).toEqual([]);
  });
});

describe('elements-order', () => {
  it('fails when the contract comes before the intent questions', () => {
    const source = scriptSource(ordered('consent', 'document', 'live', 'disclosure', 'contract', 'understands', 'voluntary', 'self', 'done', 'declined', 'review'));
    const issues = issuesOf(lint(source), 'elements-order');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ severity: 'error', line: lineOf(source, 'kind: contract') });
    expect(issues.map((issue) => issue.message)).toContain(
      "step 'contract' (contract signature) can run before the question that the applicant understands the terms ('understands') has succeeded: move it after that step",
    );
  });

  it('fails when liveness comes before the document', () => {
    const source = scriptSource(ordered('consent', 'live', 'document', 'disclosure', 'understands', 'voluntary', 'self', 'contract', 'done', 'declined', 'review'));
    expect(issuesOf(lint(source), 'elements-order').map((issue) => issue.message)).toEqual([
      expect.stringContaining("step 'live' (liveness check) can run before the identity document ('document') has succeeded"),
    ]);
  });

  it('passes in the required order', () => {
    expect(issuesOf(compliant, 'elements-order')).toEqual([]);
  });
});

describe('locales-complete', () => {
  it('fails when a text lacks a declared locale, at that text', () => {
    const steps = compliantSteps();
    steps.done = ['  - id: done', '    kind: end', '    outcome: completed', '    text: { en: Done. }'];
    const source = scriptSource(steps);
    const result = lint(source);
    expect(issuesOf(result, 'locales-complete')).toEqual([
      expect.objectContaining({ severity: 'error', line: lineOf(source, 'text: { en: Done. }'), path: 'steps[8].text.zh-CN' }),
    ]);
    expect(result.publishable).toBe(false);
  });

  it('warns about Chinese text left in English and an undeclared locale', () => {
    const steps = compliantSteps();
    steps.done = ['  - id: done', '    kind: end', '    outcome: completed', '    text: { en: Done., zh-CN: Thank you very much. }'];
    expect(issuesOf(lint(scriptSource(steps)), 'locales-complete')).toEqual([
      expect.objectContaining({ severity: 'warning', message: 'the zh-CN text has no Chinese characters: translate it' }),
    ]);
    const english = lint(scriptSource(compliantSteps(), ['id: test', 'title: { en: Test, zh-CN: 测试 }', 'locales: [en]']));
    expect(issuesOf(english, 'locales-complete').every((issue) => issue.severity === 'warning')).toBe(true);
    expect(issuesOf(english, 'locales-complete')[0]?.message).toMatch(/^zh-CN text is never shown/);
  });

  it('passes when every text has every locale', () => {
    expect(issuesOf(compliant, 'locales-complete')).toEqual([]);
  });
});

describe('bounded-waits', () => {
  it('fails on too many attempts or too long a timeout', () => {
    const steps = compliantSteps();
    steps.understands = steps.understands!.map((line) => line.replace('timeoutSeconds: 60', 'timeoutSeconds: 1800')).concat('    maxAttempts: 8');
    const source = scriptSource(steps);
    const issues = issuesOf(lint(source), 'bounded-waits');
    expect(issues.map((issue) => [issue.severity, issue.line, issue.message])).toEqual([
      ['error', lineOf(source, 'timeoutSeconds: 1800'), "step 'understands' waits 1800 s: set timeoutSeconds to 600 or less"],
      ['error', lineOf(source, 'maxAttempts: 8'), "step 'understands' allows 8 attempts: set maxAttempts to 5 or fewer and route the rest to review with onFail"],
    ]);
  });

  it('warns about a question without a timeout', () => {
    const steps = compliantSteps();
    steps.voluntary = steps.voluntary!.filter((line) => !line.includes('timeoutSeconds'));
    const result = lint(scriptSource(steps));
    expect(issuesOf(result, 'bounded-waits')).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining("step 'voluntary' waits for an answer without a limit") })]);
    expect(result.publishable).toBe(true);
  });

  it('passes with bounded retries and timeouts', () => {
    expect(issuesOf(compliant, 'bounded-waits')).toEqual([]);
  });
});

describe('paths-end', () => {
  it('fails on a step nothing routes to', () => {
    const steps = compliantSteps();
    steps.orphan = ['  - id: orphan', '    kind: end', '    outcome: review'];
    const issues = issuesOf(lint(scriptSource(steps)), 'paths-end');
    expect(issues.map((issue) => issue.message)).toEqual(["step 'orphan' can never be reached: route to it (next, onFail, ...) or remove it"]);
  });

  it('fails when the expected answers loop back instead of ending', () => {
    const steps = compliantSteps();
    steps.contract = [...steps.contract!, '    next: disclosure'];
    const issues = issuesOf(lint(scriptSource(steps)), 'paths-end');
    expect(issues.some((issue) => issue.message.includes('answering every step as expected loops (disclosure -> understands -> voluntary -> self -> contract -> disclosure)'))).toBe(true);
  });

  it('fails on a cycle of steps that all route into each other', () => {
    const steps = ordered('consent', 'document', 'live', 'disclosure', 'understands', 'voluntary', 'self', 'contract', 'done', 'declined', 'review');
    steps.contract = steps.contract!.map((line) => line.replace('onFail: review', 'onFail: spin'));
    steps.spin = ['  - id: spin', '    kind: liveness', '    text: { en: Again., zh-CN: 再来。 }', '    onFail: spin2'];
    steps.spin2 = ['  - id: spin2', '    kind: liveness', '    text: { en: Again., zh-CN: 再来。 }', '    next: spin', '    onFail: spin'];
    const issues = issuesOf(lint(scriptSource(steps)), 'paths-end');
    expect(issues.map((issue) => issue.message)).toContain("from step 'spin' no ending can be reached (a cycle without exit): route a way out to an end step");
  });

  it('reports a script that runs past its last step (from the schema check) under this rule', () => {
    const steps = ordered('consent', 'document', 'live', 'disclosure', 'understands', 'voluntary', 'self', 'contract', 'declined', 'review', 'done');
    steps.contract = [...steps.contract!, '    next: done'];
    steps.done = ['  - id: done', '    kind: say', '    text: { en: Done., zh-CN: 完成。 }'];
    const result = lint(scriptSource(steps));
    expect(result.loaded).toBeNull();
    expect(result.issues.some((issue) => issue.rule === 'paths-end' && issue.message.includes('runs out after this step'))).toBe(true);
  });

  it('passes when every step is reachable and every path ends', () => {
    expect(issuesOf(compliant, 'paths-end')).toEqual([]);
  });
});

describe('product-references', () => {
  it('fails for an intent step naming a product that does not exist', () => {
    const steps = compliantSteps();
    steps.understands = [...steps.understands!, '    product: gone-loan'];
    const source = scriptSource(steps);
    expect(issuesOf(lint(source), 'product-references')).toEqual([
      expect.objectContaining({ severity: 'error', line: lineOf(source, 'gone-loan'), message: "step 'understands' names product 'gone-loan', which does not exist: use the id of a product in prompts/products" }),
    ]);
  });

  it('passes when the products exist', () => {
    const steps = compliantSteps();
    steps.understands = [...steps.understands!, '    product: test-loan'];
    expect(issuesOf(lint(scriptSource(steps)), 'product-references')).toEqual([]);
  });
});

describe('schema', () => {
  it('reports schema errors with line and column from the same loader the server uses', () => {
    const steps = compliantSteps();
    steps.voluntary = steps.voluntary!.map((line) => line.replace('maxAttempts', 'x')).concat('    maxAtempts: 3');
    const source = scriptSource(steps);
    const result = lint(source);
    expect(result.issues).toEqual([
      expect.objectContaining({ rule: 'schema', severity: 'error', line: lineOf(source, 'maxAtempts'), column: 5, message: "steps[5].maxAtempts: unknown field 'maxAtempts'" }),
    ]);
    expect(result.publishable).toBe(false);
  });

  it('accepts only the known compliance scopes', () => {
    const result = lint(scriptSource(compliantSteps(), [...HEADER, 'compliance: { identity: nowhere }']));
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'schema', line: 4, message: 'compliance.identity: expected in-session or before-session' })]);
  });

  it('reports YAML syntax errors', () => {
    const result = lint('id: test\nsteps: [\n');
    expect(result.issues[0]).toMatchObject({ rule: 'schema', severity: 'error', line: expect.any(Number) });
    expect(result.issues[0]?.message).toMatch(/^YAML: /);
  });
});
