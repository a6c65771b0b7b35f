/** The rule engine's vocabulary: a Rule checks one stack against one Kubernetes target and returns Findings. */
import type { Issue, Location, Severity } from '../core/errors.js';
import type { KubernetesTarget, Stack } from '../stack/index.js';

/** What a rule reads: stack.yaml only, the charts and stack files only, or both (config rules skip without stack.yaml). */
export type RuleNeeds = 'config' | 'charts' | 'both';

/** One problem a rule found; `related` names the other side of a cross-layer mismatch. */
export interface Finding {
  /** Defaults to 'error'. */
  severity?: Severity;
  message: string;
  hint: string;
  location: Location;
  related?: Location[];
}

/** A pure cross-layer compatibility check with a stable kebab-case id and a one-line summary (what and why). */
export interface Rule {
  id: string;
  summary: string;
  needs: RuleNeeds;
  check(stack: Stack, target: KubernetesTarget): Finding[];
}

/** The stable issue code of a rule: `RULE_` + its id in UPPER_SNAKE (cilium-needs-ebpf → RULE_CILIUM_NEEDS_EBPF). */
export function ruleCode(id: string): string {
  return `RULE_${id.replace(/-/g, '_').toUpperCase()}`;
}

/** Turns a rule's finding into the Issue every stage reports (code, rule id, primary and related locations). */
export function toIssue(rule: Pick<Rule, 'id'>, finding: Finding): Issue {
  const issue: Issue = {
    severity: finding.severity ?? 'error',
    code: ruleCode(rule.id),
    message: finding.message,
    hint: finding.hint,
    location: finding.location,
    rule: rule.id,
  };
  if (finding.related?.length) issue.related = finding.related;
  return issue;
}
