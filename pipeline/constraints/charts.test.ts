import { describe, it } from 'vitest';
import { buildStack, DEFAULT_ADDONS, type AddonSpec, type StackSpec } from './__fixtures__/build-stack.js';
import { expectIssues, type ExpectedIssue } from './__fixtures__/expect-issues.js';
import { chartKubeVersion, openstackChartMinor } from './charts.js';
import type { Rule } from './types.js';

const openstackAddons = (ccm: string, csi: string): AddonSpec[] => [
  ...DEFAULT_ADDONS,
  { addon: 'ccm', deps: [{ name: 'openstack-cloud-controller-manager', alias: 'openstack-cloud-controller-manager', version: ccm }] },
  { addon: 'csi', deps: [{ name: 'openstack-cinder-csi', alias: 'openstack-cinder-csi', version: csi }] },
];
const cilium = (kubeVersion: string, extra: Partial<AddonSpec> = {}): AddonSpec[] => [
  { addon: 'cni', deps: [{ name: 'cilium', alias: 'cilium', version: '1.17.4', kubeVersion }], ...extra },
];
const tgz = 'cluster-addon/cni/charts/cilium-1.17.4.tgz';

const cases: { name: string; rule: Rule; spec: StackSpec; expected: ExpectedIssue[] }[] = [
  {
    name: 'SCS-style pins per Kubernetes minor',
    rule: openstackChartMinor,
    spec: { addons: openstackAddons('2.32.0', '2.32.0'), targets: [{ kubernetes: '1.30.13', cinder_csi: '2.30.3', occm: '2.30.5' }, { kubernetes: '1.32.5', cinder_csi: '2.32.0', occm: '2.32.0' }] },
    expected: [],
  },
  { name: 'Chart.yaml version matches the csctl.yaml version', rule: openstackChartMinor, spec: { addons: openstackAddons('2.32.1', '2.32.0'), targets: 'csctl' }, expected: [] },
  {
    name: 'versions.yaml pins the CCM of another minor',
    rule: openstackChartMinor,
    spec: { addons: openstackAddons('2.32.0', '2.32.0'), targets: [{ kubernetes: '1.31.9', cinder_csi: '2.31.7', occm: '2.30.5' }] },
    expected: [{
      code: 'RULE_OPENSTACK_CHART_MINOR',
      at: ['versions.yaml', '/0/occm'],
      related: [['versions.yaml', '/0/kubernetes']],
      hint: /2\.31\.x release for Kubernetes 1\.31 in this versions\.yaml entry/,
      message: /^openstack-cloud-controller-manager 2\.30\.5 is built for Kubernetes 1\.30, not for Kubernetes 1\.31\.9$/,
    }],
  },
  {
    name: 'unpinned Chart.yaml versions fit only the newest target',
    rule: openstackChartMinor,
    spec: { addons: openstackAddons('2.32.0', '2.32.0') },
    expected: [
      { code: 'RULE_OPENSTACK_CHART_MINOR', at: ['cluster-addon/ccm/Chart.yaml', '/dependencies/0'], related: [['versions.yaml', '/0/kubernetes']], hint: /pin it per Kubernetes version/, message: /Kubernetes 1\.31\.9/ },
      { code: 'RULE_OPENSTACK_CHART_MINOR', at: ['cluster-addon/csi/Chart.yaml', '/dependencies/0'], related: [['versions.yaml', '/0/kubernetes']], hint: /2\.31\.x/, message: /openstack-cinder-csi 2\.32\.0/ },
    ],
  },
  {
    name: 'Cinder CSI of another minor than csctl.yaml',
    rule: openstackChartMinor,
    spec: { addons: openstackAddons('2.32.0', '2.31.0'), targets: 'csctl' },
    expected: [{ code: 'RULE_OPENSTACK_CHART_MINOR', at: ['cluster-addon/csi/Chart.yaml', '/dependencies/0'], related: [['csctl.yaml', '/config/kubernetesVersion']], hint: /2\.32\.x/ }],
  },
  { name: 'cilium >= 1.21.0-0', rule: chartKubeVersion, spec: {}, expected: [] },
  { name: 'prerelease target with a -0 constraint', rule: chartKubeVersion, spec: { targets: [{ kubernetes: '1.33.0-rc.1' }] }, expected: [] },
  { name: 'unresolved dependency', rule: chartKubeVersion, spec: { addons: [{ addon: 'cni', deps: [{ name: 'cilium', version: '1.17.4', kubeVersion: '>= 9.0.0', unresolved: true }] }] }, expected: [] },
  {
    name: 'another version pinned than the resolved one',
    rule: chartKubeVersion,
    spec: { addons: cilium('>= 9.0.0'), targets: [{ kubernetes: '1.32.5', cilium: '1.16.6' }] },
    expected: [],
  },
  {
    name: 'prerelease target without -0 (Helm excludes it)',
    rule: chartKubeVersion,
    spec: { addons: cilium('>= 1.21.0'), targets: [{ kubernetes: '1.33.0-rc.1' }] },
    expected: [{
      code: 'RULE_CHART_KUBE_VERSION',
      at: ['cluster-addon/cni/Chart.yaml', '/dependencies/0'],
      related: [['versions.yaml', '/0/kubernetes'], [tgz]],
      hint: /admits 1\.33\.0-rc\.1/,
      message: /^Chart cilium 1\.17\.4 requires kubeVersion ">= 1\.21\.0", which excludes Kubernetes 1\.33\.0-rc\.1$/,
    }],
  },
  {
    name: 'addon chart kubeVersion excludes the newest target',
    rule: chartKubeVersion,
    spec: { addons: cilium('>= 1.21.0-0', { kubeVersion: '>=1.20, <1.32' }) },
    expected: [{ code: 'RULE_CHART_KUBE_VERSION', at: ['cluster-addon/cni/Chart.yaml', '/kubeVersion'], related: [['versions.yaml', '/1/kubernetes']], hint: /drop Kubernetes 1\.32/ }],
  },
  {
    name: 'cluster-class kubeVersion excludes both targets',
    rule: chartKubeVersion,
    spec: { clusterClassKubeVersion: '< 1.31.0-0' },
    expected: [
      { code: 'RULE_CHART_KUBE_VERSION', at: ['cluster-class/Chart.yaml', '/kubeVersion'], related: [['versions.yaml', '/0/kubernetes']], hint: /admits 1\.31\.9/ },
      { code: 'RULE_CHART_KUBE_VERSION', at: ['cluster-class/Chart.yaml', '/kubeVersion'], related: [['versions.yaml', '/1/kubernetes']], hint: /admits 1\.32\.5/ },
    ],
  },
  {
    name: 'kubeVersion that does not parse (reported once)',
    rule: chartKubeVersion,
    spec: { addons: cilium('latest please') },
    expected: [{ code: 'RULE_CHART_KUBE_VERSION', at: ['cluster-addon/cni/Chart.yaml', '/dependencies/0'], related: [[tgz]], hint: /Helm refuses/ }],
  },
];

describe('chart rules', () => {
  it.each(cases)('$rule.id: $name', ({ rule, spec, expected }) => {
    expectIssues(rule, buildStack(spec), expected);
  });
});
