import { describe, it } from 'vitest';
import { buildStack, DEFAULT_ADDONS, type StackSpec } from './__fixtures__/build-stack.js';
import { expectIssues, type ExpectedIssue } from './__fixtures__/expect-issues.js';
import { etcdKmsNeedsProviderKms, metricsServerKubeletTls } from './cluster-state.js';
import type { Rule } from './types.js';

const secureMetrics: StackSpec['addons'] = [
  DEFAULT_ADDONS[0]!,
  { addon: 'metrics-server', deps: [{ name: 'metrics-server', alias: 'ms', version: '3.12.2' }], values: { ms: { args: ['--kubelet-preferred-address-types=InternalIP'] } } },
];
const csrSigning = { clusterState: { kubeletServingCerts: { csrSigning: true } } };

const cases: { name: string; rule: Rule; spec: StackSpec; expected: ExpectedIssue[] }[] = [
  { name: 'no etcd encryption', rule: etcdKmsNeedsProviderKms, spec: {}, expected: [] },
  { name: 'aescbc without KMS', rule: etcdKmsNeedsProviderKms, spec: { config: { clusterState: { etcdEncryption: { enabled: true, provider: 'aescbc' } } } }, expected: [] },
  { name: 'kms with a KMS provider', rule: etcdKmsNeedsProviderKms, spec: { config: { clusterState: { etcdEncryption: { enabled: true, provider: 'kms' } }, provider: { capabilities: { kms: true } } } }, expected: [] },
  {
    name: 'kms without kms capability (points at capabilities when kms is absent)',
    rule: etcdKmsNeedsProviderKms,
    spec: { config: { clusterState: { etcdEncryption: { enabled: true, provider: 'kms' } } } },
    expected: [{ code: 'RULE_ETCD_KMS_NEEDS_PROVIDER_KMS', at: ['stack.yaml', '/clusterState/etcdEncryption/provider'], related: [['stack.yaml', '/provider/capabilities']], hint: /aescbc, aesgcm or secretbox/ }],
  },
  {
    name: 'kms with kms: false',
    rule: etcdKmsNeedsProviderKms,
    spec: { config: { clusterState: { etcdEncryption: { enabled: true, provider: 'kms' } }, provider: { capabilities: { kms: false } } } },
    expected: [{ code: 'RULE_ETCD_KMS_NEEDS_PROVIDER_KMS', at: ['stack.yaml', '/clusterState/etcdEncryption/provider'], related: [['stack.yaml', '/provider/capabilities/kms']], hint: /capabilities\.kms: true/ }],
  },
  { name: 'insecure TLS without CSR signing', rule: metricsServerKubeletTls, spec: {}, expected: [] },
  { name: 'verified TLS with CSR signing', rule: metricsServerKubeletTls, spec: { addons: secureMetrics, config: csrSigning }, expected: [] },
  { name: 'no metrics-server', rule: metricsServerKubeletTls, spec: { addons: secureMetrics, config: { kubernetesCore: { metricsServer: null } } }, expected: [] },
  {
    name: 'verified TLS without CSR signing',
    rule: metricsServerKubeletTls,
    spec: { addons: secureMetrics },
    expected: [{
      code: 'RULE_METRICS_SERVER_KUBELET_TLS',
      at: ['stack.yaml', '/clusterState/kubeletServingCerts/csrSigning'],
      related: [['cluster-addon/metrics-server/values.yaml', '/ms/args']],
      hint: /csrSigning.*--kubelet-insecure-tls/,
    }],
  },
  {
    name: 'no values at all, without CSR signing',
    rule: metricsServerKubeletTls,
    spec: { addons: [{ addon: 'metrics-server', deps: [{ name: 'metrics-server', version: '3.12.2' }] }] },
    expected: [{ code: 'RULE_METRICS_SERVER_KUBELET_TLS', at: ['stack.yaml', '/clusterState/kubeletServingCerts/csrSigning'], related: [['cluster-addon/metrics-server/values.yaml']], hint: /csrSigning/ }],
  },
  {
    name: 'insecure TLS with CSR signing',
    rule: metricsServerKubeletTls,
    spec: { config: csrSigning },
    expected: [{
      code: 'RULE_METRICS_SERVER_KUBELET_TLS',
      severity: 'warning',
      at: ['cluster-addon/metrics-server/values.yaml', '/metrics-server/args/0'],
      related: [['stack.yaml', '/clusterState/kubeletServingCerts/csrSigning']],
      hint: /Remove --kubelet-insecure-tls/,
    }],
  },
  {
    name: 'insecure TLS set in overwrite.yaml with CSR signing',
    rule: metricsServerKubeletTls,
    spec: { config: csrSigning, addons: [{ addon: 'metrics-server', deps: [{ name: 'metrics-server', version: '3.12.2' }], overwrite: 'metrics-server:\n  args: [--kubelet-insecure-tls]\n' }] },
    expected: [{ code: 'RULE_METRICS_SERVER_KUBELET_TLS', severity: 'warning', at: ['cluster-addon/metrics-server/overwrite.yaml'], related: [['stack.yaml', '/clusterState/kubeletServingCerts/csrSigning']], hint: /Remove/ }],
  },
  {
    name: 'old convention: values under the alias in the umbrella chart',
    rule: metricsServerKubeletTls,
    spec: {
      convention: 'old',
      config: csrSigning,
      addons: [{ addon: 'cluster-addon', deps: [{ name: 'cilium', version: '1.17.4' }, { name: 'metrics-server', alias: 'metrics-server', version: '3.12.2' }], values: { 'metrics-server': { args: ['--kubelet-insecure-tls'] } } }],
    },
    expected: [{ code: 'RULE_METRICS_SERVER_KUBELET_TLS', severity: 'warning', at: ['cluster-addon/values.yaml', '/metrics-server/args/0'], related: [['stack.yaml', '/clusterState/kubeletServingCerts/csrSigning']], hint: /Remove/ }],
  },
  {
    name: 'old convention: insecure TLS set in cluster-addon-values.yaml with CSR signing',
    rule: metricsServerKubeletTls,
    spec: {
      convention: 'old',
      config: csrSigning,
      addonValues: 'metrics-server:\n  args: [--kubelet-insecure-tls]\n',
      addons: [{ addon: 'cluster-addon', deps: [{ name: 'cilium', version: '1.17.4' }, { name: 'metrics-server', version: '3.12.2' }] }],
    },
    expected: [{ code: 'RULE_METRICS_SERVER_KUBELET_TLS', severity: 'warning', at: ['cluster-addon-values.yaml', '/values'], related: [['stack.yaml', '/clusterState/kubeletServingCerts/csrSigning']], hint: /Remove/ }],
  },
  {
    name: 'new convention ignores cluster-addon-values.yaml',
    rule: metricsServerKubeletTls,
    spec: { addons: secureMetrics, config: csrSigning, addonValues: 'metrics-server:\n  args: [--kubelet-insecure-tls]\n' },
    expected: [],
  },
];

describe('cluster state rules', () => {
  it.each(cases)('$rule.id: $name', ({ rule, spec, expected }) => {
    expectIssues(rule, buildStack(spec), expected);
  });
});
