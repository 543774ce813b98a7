/** A compliant script built from parts, so each lint test changes one thing and sees one rule fire. */
import { lintEnvironmentFrom } from './environment.ts';
import { lintScript } from './lint.ts';
import type { LintIssue, LintResult } from './types.ts';

export const PRODUCT = {
  id: 'test-loan',
  name: { en: 'Test loan', 'zh-CN': '测试贷款' },
  terms: { apr: '7.2%', amount_max: '200,000', cooling_off_days: '7' },
};

export const ENV = lintEnvironmentFrom({
  getProduct: (id) => (id === PRODUCT.id ? PRODUCT : undefined),
  templateIds: ['test-loan.en', 'test-loan.zh-CN'],
});

const t = (en: string, zh: string) => `{ en: "${en}", zh-CN: "${zh}" }`;

/** Steps of a compliant script by id, each a list of YAML lines (indented as under `steps:`). */
export function compliantSteps(): Record<string, string[]> {
  return {
    consent: ['  - id: consent', '    kind: consent', '    purpose: recording', `    text: ${t('Recorded. Agree?', '本次会话将录像，是否同意？')}`, '    timeoutSeconds: 60', '    onFail: review'],
    document: ['  - id: document', '    kind: document', '    accepted: [mrz]', `    text: ${t('Show your passport.', '请出示护照。')}`, '    onFail: review'],
    live: ['  - id: live', '    kind: liveness', `    text: ${t('Look at the camera.', '请看镜头。')}`, '    onFail: review'],
    disclosure: [
      '  - id: disclosure',
      '    kind: disclosure',
      '    product: test-loan',
      `    text: ${t('The APR is 7.2% and you may borrow up to 200,000.', '年化利率 7.2%，最高可借 200,000 元。')}`,
      '    timeoutSeconds: 120',
      '    onFail: review',
    ],
    understands: ['  - id: understands', '    kind: intent', '    expect: affirm', '    purpose: understands-terms', `    text: ${t('Do you understand?', '您是否理解？')}`, '    timeoutSeconds: 60', '    onFail: review'],
    voluntary: ['  - id: voluntary', '    kind: intent', '    expect: affirm', '    purpose: voluntary', `    text: ${t('Is this your own choice?', '是否本人自愿？')}`, '    timeoutSeconds: 60', '    onMismatch: declined', '    onFail: review'],
    self: ['  - id: self', '    kind: intent', '    expect: affirm', '    purpose: for-self', `    text: ${t('Is the loan for you?', '是否为本人申请？')}`, '    timeoutSeconds: 60', '    onMismatch: declined', '    onFail: review'],
    contract: [
      '  - id: contract',
      '    kind: contract',
      '    product: test-loan',
      `    text: ${t('Please read and sign.', '请阅读并签署。')}`,
      `    statement: ${t('I, {name}, agree.', '本人{name}同意。')}`,
      '    onFail: review',
    ],
    done: ['  - id: done', '    kind: end', '    outcome: completed', `    text: ${t('Done.', '完成。')}`],
    declined: ['  - id: declined', '    kind: end', '    outcome: declined'],
    review: ['  - id: review', '    kind: end', '    outcome: review'],
  };
}

export const HEADER = ['id: test', 'title: { en: Test, zh-CN: 测试 }', 'locales: [en, zh-CN]'];

/** The YAML of a script from its steps (default: the compliant ones), with optional header lines. */
export function scriptSource(steps: Record<string, string[]> = compliantSteps(), header: string[] = HEADER): string {
  return `${[...header, 'steps:', ...Object.values(steps).flat()].join('\n')}\n`;
}

export function lint(source: string): LintResult {
  return lintScript(source, 'test.yaml', ENV);
}

/** Issues of one rule, as `line:col severity message` for readable assertions. */
export function issuesOf(result: LintResult, rule: string): LintIssue[] {
  return result.issues.filter((issue) => issue.rule === rule);
}
