import { describe, it } from 'vitest';
import { buildStack, type StackSpec } from './__fixtures__/build-stack.js';
import { expectIssues, type ExpectedIssue } from './__fixtures__/expect-issues.js';
import { kubeletVersionSkew, kubernetesRange, versionsAscending } from './kubernetes-version.js';
import type { Rule } from './types.js';

const targets = (...versions: string[]): StackSpec['targets'] => versions.map((kubernetes) => ({ kubernetes }));

const cases: { name: string; rule: Rule; spec: StackSpec; expected: ExpectedIssue[] }[] = [
  { name: 'no range given', rule: kubernetesRange, spec: {}, expected: [] },
  { name: 'Helm-style range admits both targets', rule: kubernetesRange, spec: { config: { clusterState: { kubernetes: '>= 1.31.0-0, < 1.33.0-0' } } }, expected: [] },
  { name: 'x-range admits csctl.yaml version', rule: kubernetesRange, spec: { targets: 'csctl', config: { clusterState: { kubernetes: '1.32.x' } } }, expected: [] },
  {
    name: 'range excludes the newest target',
    rule: kubernetesRange,
    spec: { config: { clusterState: { kubernetes: '>=1.30 <1.32' } } },
    expected: [{
      code: 'RULE_KUBERNETES_RANGE',
      at: ['versions.yaml', '/1/kubernetes'],
      related: [['stack.yaml', '/clusterState/kubernetes']],
      hint: /widen clusterState\.kubernetes/,
      message: /Kubernetes 1\.32\.5 is outside/,
    }],
  },
  {
    name: 'range excludes the csctl.yaml version',
    rule: kubernetesRange,
    spec: { targets: 'csctl', config: { clusterState: { kubernetes: '~1.31.0' } } },
    expected: [{ code: 'RULE_KUBERNETES_RANGE', at: ['csctl.yaml', '/config/kubernetesVersion'], related: [['stack.yaml', '/clusterState/kubernetes']], hint: /csctl\.yaml/ }],
  },
  {
    name: 'range that does not parse (reported once)',
    rule: kubernetesRange,
    spec: { config: { clusterState: { kubernetes: 'recent ones' } } },
    expected: [{ code: 'RULE_KUBERNETES_RANGE', at: ['stack.yaml', '/clusterState/kubernetes'], related: [], hint: /semver range/ }],
  },
  { name: 'kubelet matches', rule: kubeletVersionSkew, spec: { config: { nodeImage: { kubelet: 'match' } } }, expected: [] },
  { name: 'kubelet 1.28 with 1.31', rule: kubeletVersionSkew, spec: { targets: targets('1.31.9'), config: { nodeImage: { kubelet: '1.28' } } }, expected: [] },
  { name: 'kubelet 1.31 with 1.31 and 1.32', rule: kubeletVersionSkew, spec: { config: { nodeImage: { kubelet: '1.31' } } }, expected: [] },
  {
    name: 'kubelet newer than the first target',
    rule: kubeletVersionSkew,
    spec: { config: { nodeImage: { kubelet: '1.32' } } },
    expected: [{
      code: 'RULE_KUBELET_VERSION_SKEW',
      at: ['stack.yaml', '/nodeImage/kubelet'],
      related: [['versions.yaml', '/0/kubernetes']],
      hint: /kubelets from 1\.28 to 1\.31/,
      message: /kubelet 1\.32 is newer than the Kubernetes 1\.31\.9/,
    }],
  },
  {
    name: 'kubelet four minors older than the last target',
    rule: kubeletVersionSkew,
    spec: { targets: targets('1.31.9', '1.32.5'), config: { nodeImage: { kubelet: '1.28' } } },
    expected: [{
      code: 'RULE_KUBELET_VERSION_SKEW',
      at: ['stack.yaml', '/nodeImage/kubelet'],
      related: [['versions.yaml', '/1/kubernetes']],
      hint: /kubelets from 1\.29 to 1\.32/,
      message: /more than 3 minors older than Kubernetes 1\.32\.5/,
    }],
  },
  { name: 'ascending without gaps', rule: versionsAscending, spec: { targets: targets('1.30.13', '1.31.9', '1.32.5') }, expected: [] },
  { name: 'a major step is not a gap', rule: versionsAscending, spec: { targets: targets('1.35.0', '2.0.0') }, expected: [] },
  {
    name: 'descending',
    rule: versionsAscending,
    spec: { targets: targets('1.32.5', '1.31.9') },
    expected: [{ code: 'RULE_VERSIONS_ASCENDING', severity: 'warning', at: ['versions.yaml', '/1/kubernetes'], related: [['versions.yaml', '/0/kubernetes']], hint: /oldest first/ }],
  },
  {
    name: 'skipped minors',
    rule: versionsAscending,
    spec: { targets: targets('1.29.1', '1.32.5') },
    expected: [{
      code: 'RULE_VERSIONS_ASCENDING',
      severity: 'warning',
      at: ['versions.yaml', '/1/kubernetes'],
      related: [['versions.yaml', '/0/kubernetes']],
      hint: /one minor at a time/,
      message: /skips Kubernetes 1\.30, 1\.31 between 1\.29\.1 and 1\.32\.5/,
    }],
  },
];

describe('Kubernetes version rules', () => {
  it.each(cases)('$rule.id: $name', ({ rule, spec, expected }) => {
    expectIssues(rule, buildStack(spec), expected);
  });
});
