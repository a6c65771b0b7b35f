import { describe, it } from 'vitest';
import { buildStack, DEFAULT_ADDONS, type StackSpec } from './__fixtures__/build-stack.js';
import { expectIssues, type ExpectedIssue } from './__fixtures__/expect-issues.js';
import { ccmRequiredForCloud, cniChartMatches, coreAddonsExist, konnectivityNeedsKubeProxy, serviceProxyExclusive } from './core.js';
import type { Rule } from './types.js';

const openstack = { provider: { name: 'openstack' } };

const cases: { name: string; rule: Rule; spec: StackSpec; expected: ExpectedIssue[] }[] = [
  { name: 'konnectivity with kube-proxy', rule: konnectivityNeedsKubeProxy, spec: { config: { kubernetesCore: { konnectivity: { enabled: true } } } }, expected: [] },
  { name: 'no konnectivity, no kube-proxy', rule: konnectivityNeedsKubeProxy, spec: { config: { kubernetesCore: { kubeProxy: false, cni: { kubeProxyReplacement: true } } } }, expected: [] },
  {
    name: 'konnectivity without kube-proxy',
    rule: konnectivityNeedsKubeProxy,
    spec: { config: { kubernetesCore: { kubeProxy: false, cni: { kubeProxyReplacement: true }, konnectivity: { enabled: true } } } },
    expected: [{ code: 'RULE_KONNECTIVITY_NEEDS_KUBE_PROXY', at: ['stack.yaml', '/kubernetesCore/konnectivity/enabled'], related: [['stack.yaml', '/kubernetesCore/kubeProxy']], hint: /kubeProxy: true/ }],
  },
  { name: 'kube-proxy only', rule: serviceProxyExclusive, spec: {}, expected: [] },
  { name: 'replacement only', rule: serviceProxyExclusive, spec: { config: { kubernetesCore: { kubeProxy: false, cni: { kubeProxyReplacement: true } } } }, expected: [] },
  {
    name: 'both kube-proxy and replacement',
    rule: serviceProxyExclusive,
    spec: { config: { kubernetesCore: { cni: { kubeProxyReplacement: true } } } },
    expected: [{ code: 'RULE_SERVICE_PROXY_EXCLUSIVE', at: ['stack.yaml', '/kubernetesCore/kubeProxy'], related: [['stack.yaml', '/kubernetesCore/cni/kubeProxyReplacement']], hint: /kubeProxy: false/, message: /both program Service rules/ }],
  },
  {
    name: 'neither (replacement key absent: points at the cni)',
    rule: serviceProxyExclusive,
    spec: { config: { kubernetesCore: { kubeProxy: false, cni: { name: 'cilium', addon: 'cni' } } } },
    expected: [{ code: 'RULE_SERVICE_PROXY_EXCLUSIVE', at: ['stack.yaml', '/kubernetesCore/kubeProxy'], related: [['stack.yaml', '/kubernetesCore/cni/kubeProxyReplacement']], hint: /kubeProxy: true/, message: /Services will not work/ }],
  },
  { name: 'docker without CCM', rule: ccmRequiredForCloud, spec: {}, expected: [] },
  { name: 'openstack with CCM', rule: ccmRequiredForCloud, spec: { config: { ...openstack, kubernetesCore: { ccm: { name: 'openstack', addon: 'ccm' } } } }, expected: [] },
  {
    name: 'openstack without CCM',
    rule: ccmRequiredForCloud,
    spec: { config: openstack },
    expected: [{ code: 'RULE_CCM_REQUIRED_FOR_CLOUD', at: ['stack.yaml', '/kubernetesCore/ccm'], related: [['stack.yaml', '/provider/name']], hint: /uninitialized/ }],
  },
  { name: 'cni and metrics-server folders staged', rule: coreAddonsExist, spec: {}, expected: [] },
  {
    name: 'old convention: addons are umbrella dependencies',
    rule: coreAddonsExist,
    spec: { convention: 'old', addons: [{ addon: 'cluster-addon', deps: [{ name: 'cilium', alias: 'cni', version: '1.17.4' }, { name: 'metrics-server', version: '3.12.2' }] }] },
    expected: [],
  },
  {
    name: 'CCM folder missing, metrics-server not staged',
    rule: coreAddonsExist,
    spec: { config: { ...openstack, kubernetesCore: { ccm: { name: 'openstack', addon: 'ccm' } } }, stages: ['cni'] },
    expected: [
      { code: 'RULE_CORE_ADDONS_EXIST', at: ['stack.yaml', '/kubernetesCore/ccm/addon'], related: [['cluster-addon']], hint: /Add cluster-addon\/ccm\/.*cni, metrics-server/ },
      { code: 'RULE_CORE_ADDONS_EXIST', at: ['stack.yaml', '/kubernetesCore/metricsServer/addon'], related: [['clusteraddon.yaml', '/addonStages']], hint: /name: metrics-server/ },
    ],
  },
  {
    name: 'old convention: CSI not in the umbrella chart',
    rule: coreAddonsExist,
    spec: {
      convention: 'old',
      addons: [{ addon: 'cluster-addon', deps: [{ name: 'cilium', alias: 'cni', version: '1.17.4' }, { name: 'metrics-server', version: '3.12.2' }] }],
      config: { kubernetesCore: { csi: { name: 'cinder', addon: 'csi' } } },
    },
    expected: [{ code: 'RULE_CORE_ADDONS_EXIST', at: ['stack.yaml', '/kubernetesCore/csi/addon'], related: [['cluster-addon/Chart.yaml', '/dependencies']], hint: /aliased "csi"/ }],
  },
  { name: 'cilium installs chart cilium', rule: cniChartMatches, spec: {}, expected: [] },
  { name: 'calico installs tigera-operator', rule: cniChartMatches, spec: { config: { kubernetesCore: { cni: { name: 'calico' } } }, addons: [{ addon: 'cni', deps: [{ name: 'tigera-operator', version: 'v3.29.3' }] }] }, expected: [] },
  { name: 'CNI addon missing is left to core-addons-exist', rule: cniChartMatches, spec: { addons: [DEFAULT_ADDONS[1]!] }, expected: [] },
  {
    name: 'stack.yaml says calico, the chart is cilium',
    rule: cniChartMatches,
    spec: { config: { kubernetesCore: { cni: { name: 'calico' } } } },
    expected: [{ code: 'RULE_CNI_CHART_MATCHES', at: ['stack.yaml', '/kubernetesCore/cni/name'], related: [['cluster-addon/cni/Chart.yaml', '/dependencies/0']], hint: /tigera-operator or calico/, message: /installs chart cilium/ }],
  },
  {
    name: 'old convention: the cni alias points at flannel',
    rule: cniChartMatches,
    spec: { convention: 'old', addons: [{ addon: 'cluster-addon', deps: [{ name: 'metrics-server', version: '3.12.2' }, { name: 'flannel', alias: 'cni', version: '0.26.0' }] }] },
    expected: [{ code: 'RULE_CNI_CHART_MATCHES', at: ['stack.yaml', '/kubernetesCore/cni/name'], related: [['cluster-addon/Chart.yaml', '/dependencies/1']], hint: /depend on cilium/ }],
  },
];

describe('Kubernetes core rules', () => {
  it.each(cases)('$rule.id: $name', ({ rule, spec, expected }) => {
    expectIssues(rule, buildStack(spec), expected);
  });
});

