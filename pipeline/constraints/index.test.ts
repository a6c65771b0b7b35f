import { describe, expect, it } from 'vitest';
import { at, buildStack, type StackSpec } from './__fixtures__/build-stack.js';
import { runRules, targetsOf } from './engine.js';
import { checkCompatibility, listRules } from './index.js';
import { RULES } from './rules.js';
import { ruleCode, toIssue, type Rule } from './types.js';

const configRuleIds = RULES.filter((r) => r.needs !== 'charts').map((r) => r.id);

describe('rule registry', () => {
  it('lists at least 14 rules with unique kebab-case ids and one-line summaries', () => {
    const rules = listRules();
    expect(rules.length).toBeGreaterThanOrEqual(14);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.summary).toMatch(/^\S[^\n]{10,150}$/);
    }
  });

  it.each([
    ['cilium-needs-ebpf', 'RULE_CILIUM_NEEDS_EBPF'],
    ['cgroup-v2-cri-version', 'RULE_CGROUP_V2_CRI_VERSION'],
  ])('rule %s has code %s', (id, code) => {
    expect(ruleCode(id)).toBe(code);
  });

  it('turns a finding into an issue with rule, code, default severity and related locations', () => {
    const rule: Pick<Rule, 'id'> = { id: 'demo-rule' };
    expect(toIssue(rule, { message: 'm', hint: 'h', location: { file: 'a' }, related: [{ file: 'b' }] })).toEqual({
      severity: 'error', code: 'RULE_DEMO_RULE', message: 'm', hint: 'h', location: { file: 'a' }, related: [{ file: 'b' }], rule: 'demo-rule',
    });
    expect(toIssue(rule, { severity: 'note', message: 'm', hint: 'h', location: { file: 'a' }, related: [] })).not.toHaveProperty('related');
  });
});

describe('checkCompatibility', () => {
  it.each<[string, StackSpec]>([
    ['the default docker stack', {}],
    ['a csctl.yaml-only stack', { targets: 'csctl' }],
  ])('finds nothing wrong in %s', (_, spec) => {
    expect(checkCompatibility(buildStack(spec))).toEqual({ issues: [], skipped: [] });
  });

  it('skips every rule that needs stack.yaml when there is none, and still runs chart rules', () => {
    const stack = buildStack({ config: 'absent', clusterClassKubeVersion: '< 1.32.0-0' });
    const result = checkCompatibility(stack);
    expect(result.skipped).toEqual(configRuleIds);
    expect(result.issues.map((i) => [i.rule, i.related?.[0]])).toEqual([['chart-kube-version', at(stack, 'versions.yaml', '/1/kubernetes')]]);
  });

  it('reports a target-independent finding once and a target-specific one per target', () => {
    const stack = buildStack({ config: { nodeImage: { ebpf: false } }, clusterClassKubeVersion: '< 1.31.0-0' });
    const codes = checkCompatibility(stack).issues.map((i) => `${i.code} ${i.message}`);
    expect(codes).toEqual([
      'RULE_CILIUM_NEEDS_EBPF Cilium is the CNI but the node image does not enable eBPF (nodeImage.ebpf: false)',
      'RULE_CHART_KUBE_VERSION Chart cluster-class requires kubeVersion "< 1.31.0-0", which excludes Kubernetes 1.31.9',
      'RULE_CHART_KUBE_VERSION Chart cluster-class requires kubeVersion "< 1.31.0-0", which excludes Kubernetes 1.32.5',
    ]);
  });

  it('runs rules once for csctl.yaml\'s version when no target was loaded', () => {
    const stack = { ...buildStack({ targets: 'csctl' }), targets: [] };
    expect(targetsOf(stack).map((t) => [t.version, t.minor, t.location])).toEqual([['1.32.5', 32, at(stack, 'csctl.yaml', '/config/kubernetesVersion')]]);
    const seen: string[] = [];
    const probe: Rule = { id: 'probe', summary: 'records the targets it sees', needs: 'charts', check: (_s, t) => (seen.push(t.version), []) };
    runRules(stack, [probe]);
    expect(seen).toEqual(['1.32.5']);
  });
});
