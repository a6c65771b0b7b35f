/** Runs rules over every build target of a stack, skipping config rules without stack.yaml and merging repeats. */
import type { Issue } from '../core/errors.js';
import type { KubernetesTarget, Stack } from '../stack/index.js';
import { where } from '../stack/index.js';
import { toIssue, type Rule } from './types.js';

/** What the rule engine found, and the ids of rules it could not run (they need stack.yaml). */
export interface CompatibilityResult {
  issues: Issue[];
  skipped: string[];
}

/** The targets rules run for; without any (unreadable versions.yaml) csctl.yaml's version, so stack rules still run. */
export function targetsOf(stack: Stack): KubernetesTarget[] {
  if (stack.targets.length > 0) return stack.targets;
  const [major, minor] = stack.kubernetesVersion.split('.').map(Number);
  const location = where(stack.locations, `${stack.displayDir}/csctl.yaml`, '/config/kubernetesVersion');
  return [{ version: stack.kubernetesVersion, major: major ?? 0, minor: minor ?? 0, charts: {}, location }];
}

/** Runs `rules` for every target; an issue found for several targets identically is reported once. */
export function runRules(stack: Stack, rules: readonly Rule[]): CompatibilityResult {
  const issues: Issue[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.needs !== 'charts' && stack.config === undefined) {
      skipped.push(rule.id);
      continue;
    }
    for (const target of targetsOf(stack)) {
      for (const finding of rule.check(stack, target)) {
        const issue = toIssue(rule, finding);
        const key = JSON.stringify(issue);
        if (seen.has(key)) continue;
        seen.add(key);
        issues.push(issue);
      }
    }
  }
  return { issues, skipped };
}
