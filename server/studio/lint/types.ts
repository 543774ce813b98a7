/**
 * Contracts of the compliance lint: a rule looks at a loaded script (and the products and
 * contract templates it refers to) and reports findings by field path; the linter turns paths
 * into line:column of the YAML source.
 */
import type { Path } from '../../dialogue/check.ts';
import type { LoadedScript, Script } from '../../dialogue/index.ts';
import type { ScriptGraph } from './graph.ts';

export type Severity = 'error' | 'warning';

/** One problem, placed in the source. Errors block publishing, warnings do not. */
export interface LintIssue {
  rule: string;
  severity: Severity;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path like `steps[3].timeoutSeconds`; empty for the script as a whole. */
  path: string;
  message: string;
}

/** What a rule reports before it is placed: the field it is about. */
export interface Finding {
  path: Path;
  message: string;
  /** Defaults to the rule's severity. */
  severity?: Severity;
  /** Point at the key rather than its value. */
  atKey?: boolean;
}

/** What the lint knows about the installation the script would be published to. */
export interface LintEnvironment {
  /** A loaded product by id, or undefined. */
  product(id: string): { id: string; terms: Record<string, string> } | undefined;
  /** Whether a contract template `<product>.<locale>.md` exists. */
  hasContractTemplate(productId: string, locale: string): boolean;
}

export interface RuleContext {
  script: Script;
  loaded: LoadedScript;
  graph: ScriptGraph;
  env: LintEnvironment;
}

export interface LintRule {
  /** Stable id, shown with every finding (e.g. `consent-before-recording`). */
  id: string;
  /** The usual severity of its findings. */
  severity: Severity;
  /** One line for docs and the studio: what the rule requires. */
  description: string;
  check(context: RuleContext): Finding[];
}

export interface LintResult {
  /** Sorted by line and column. */
  issues: LintIssue[];
  /** No errors (warnings allowed). */
  publishable: boolean;
  /** The script when it passed the schema (the compliance rules ran on it); else null. */
  loaded: LoadedScript | null;
}
