/** Stage `constraints`: cross-layer compatibility rules over a loaded stack (pure; no I/O). */
import type { Stack } from '../stack/index.js';
import { runRules, type CompatibilityResult } from './engine.js';
import { RULES } from './rules.js';

export type { CompatibilityResult } from './engine.js';
export type { Finding, Rule, RuleNeeds } from './types.js';

/** Checks `stack` against every rule for every Kubernetes target; rules needing stack.yaml are listed in `skipped` without it. */
export function checkCompatibility(stack: Stack): CompatibilityResult {
  return runRules(stack, RULES);
}

/** Id and one-line summary of every rule, for `csp lint --rules`. */
export function listRules(): { id: string; summary: string }[] {
  return RULES.map((r) => ({ id: r.id, summary: r.summary }));
}
/** Helm's kubeVersion test and the charts tied to the Kubernetes minor, shared with the watch stage's policy. */
export { admitsKubernetes } from './versions.js';
export { OPENSTACK_MINOR_LOCKED_CHARTS } from './charts.js';
