/** The lint's problems under the editor: line:col, severity, message and rule. */
import { useStaffLocale } from '../staff/index.ts';
import type { LintReport } from './api.ts';

export function LintList({ report }: { report: LintReport }) {
  const { t } = useStaffLocale();
  if (report.issues.length === 0) return <p className="studio__lint-ok">{t('studio.lint.clean')}</p>;
  return (
    <ul className="studio__lint" data-testid="studio-lint">
      {report.issues.map((issue, index) => (
        <li key={`${issue.line}:${issue.column}:${index}`} className={`studio__lint-item studio__lint-item--${issue.severity}`}>
          <span className="studio__lint-place">
            {issue.line}:{issue.column}
          </span>{' '}
          <strong>{t(`studio.lint.${issue.severity}`)}</strong> {issue.message} <code>{issue.rule}</code>
        </li>
      ))}
    </ul>
  );
}
