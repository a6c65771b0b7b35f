import { describe, expect, it } from 'vitest';
import { buildStack, type StackSpec } from './__fixtures__/build-stack.js';
import { expectIssues, type ExpectedIssue } from './__fixtures__/expect-issues.js';
import {
  cgroupV2CriVersion,
  cgroupV2SystemdDriver,
  ciliumKernelMinimum,
  ciliumKernelMinimumRule,
  ciliumNeedsEbpf,
  kataNeedsNestedVirtualization,
  kubeProxyReplacementKernel,
  talosBootstrapImage,
} from './node-image.js';
import type { Rule } from './types.js';

const cni = (version: string): StackSpec['addons'] => [{ addon: 'cni', deps: [{ name: 'cilium', alias: 'cilium', version }] }];
const kpr = { kubernetesCore: { cni: { kubeProxyReplacement: true }, kubeProxy: false } };

const cases: { name: string; rule: Rule; spec: StackSpec; expected: ExpectedIssue[] }[] = [
  { name: 'cilium with eBPF', rule: ciliumNeedsEbpf, spec: {}, expected: [] },
  { name: 'calico without eBPF', rule: ciliumNeedsEbpf, spec: { config: { nodeImage: { ebpf: false }, kubernetesCore: { cni: { name: 'calico' } } } }, expected: [] },
  {
    name: 'cilium without eBPF',
    rule: ciliumNeedsEbpf,
    spec: { config: { nodeImage: { ebpf: false } } },
    expected: [{ code: 'RULE_CILIUM_NEEDS_EBPF', at: ['stack.yaml', '/nodeImage/ebpf'], related: [['stack.yaml', '/kubernetesCore/cni/name']], hint: /nodeImage\.ebpf: true/ }],
  },
  { name: 'cilium 1.17 on kernel 5.15', rule: ciliumKernelMinimumRule, spec: {}, expected: [] },
  { name: 'cilium 1.15 on kernel 4.19.57', rule: ciliumKernelMinimumRule, spec: { addons: cni('1.15.6'), config: { nodeImage: { kernel: { minimum: '4.19.57' } } } }, expected: [] },
  { name: 'calico on kernel 4.9', rule: ciliumKernelMinimumRule, spec: { config: { nodeImage: { kernel: { minimum: '4.9' } }, kubernetesCore: { cni: { name: 'calico' } } } }, expected: [] },
  {
    name: 'cilium 1.17 on kernel 4.19',
    rule: ciliumKernelMinimumRule,
    spec: { config: { nodeImage: { kernel: { minimum: '4.19' } } } },
    expected: [{
      code: 'RULE_CILIUM_KERNEL_MINIMUM',
      at: ['stack.yaml', '/nodeImage/kernel/minimum'],
      related: [['stack.yaml', '/kubernetesCore/cni/name'], ['cluster-addon/cni/Chart.yaml', '/dependencies/0']],
      hint: /5\.4 or newer.*pin Cilium < 1\.16/,
      message: /^Cilium 1\.17\.4 needs Linux kernel >= 5\.4, but the node image may ship kernel 4\.19$/,
    }],
  },
  {
    name: 'cilium 1.15 on kernel 4.19.50',
    rule: ciliumKernelMinimumRule,
    spec: { addons: cni('1.15.0'), config: { nodeImage: { kernel: { minimum: '4.19.50' } } } },
    expected: [{
      code: 'RULE_CILIUM_KERNEL_MINIMUM',
      at: ['stack.yaml', '/nodeImage/kernel/minimum'],
      related: [['stack.yaml', '/kubernetesCore/cni/name'], ['cluster-addon/cni/Chart.yaml', '/dependencies/0']],
      hint: /4\.19\.57 or newer/,
    }],
  },
  {
    name: 'only the target that pins cilium 1.16 fails on kernel 5.3',
    rule: ciliumKernelMinimumRule,
    spec: { targets: [{ kubernetes: '1.31.9', cilium: '1.15.6' }, { kubernetes: '1.32.5', cilium: '1.16.6' }], config: { nodeImage: { kernel: { minimum: '5.3' } } } },
    expected: [{
      code: 'RULE_CILIUM_KERNEL_MINIMUM',
      at: ['stack.yaml', '/nodeImage/kernel/minimum'],
      related: [['stack.yaml', '/kubernetesCore/cni/name'], ['versions.yaml', '/1/cilium']],
      hint: /5\.4 or newer/,
      message: /Cilium 1\.16\.6 \(pinned for Kubernetes 1\.32\.5\)/,
    }],
  },
  { name: 'kube-proxy replacement on kernel 5.10', rule: kubeProxyReplacementKernel, spec: { config: { ...kpr, nodeImage: { kernel: { minimum: '5.10' } } } }, expected: [] },
  { name: 'kube-proxy on kernel 5.4', rule: kubeProxyReplacementKernel, spec: { config: { nodeImage: { kernel: { minimum: '5.4' } } } }, expected: [] },
  {
    name: 'kube-proxy replacement on kernel 5.4',
    rule: kubeProxyReplacementKernel,
    spec: { config: { ...kpr, nodeImage: { kernel: { minimum: '5.4' } } } },
    expected: [{
      code: 'RULE_KUBE_PROXY_REPLACEMENT_KERNEL',
      at: ['stack.yaml', '/nodeImage/kernel/minimum'],
      related: [['stack.yaml', '/kubernetesCore/cni/kubeProxyReplacement']],
      hint: /5\.10 or newer/,
    }],
  },
  { name: 'runc without nested virtualization', rule: kataNeedsNestedVirtualization, spec: {}, expected: [] },
  { name: 'kata with nested virtualization', rule: kataNeedsNestedVirtualization, spec: { config: { nodeImage: { ociRuntime: { name: 'kata' } }, provider: { capabilities: { nestedVirtualization: true } } } }, expected: [] },
  {
    name: 'kata without nested virtualization',
    rule: kataNeedsNestedVirtualization,
    spec: { config: { nodeImage: { ociRuntime: { name: 'kata' } } } },
    expected: [{ code: 'RULE_KATA_NEEDS_NESTED_VIRTUALIZATION', at: ['stack.yaml', '/nodeImage/ociRuntime/name'], related: [['stack.yaml', '/provider/capabilities/nestedVirtualization']], hint: /nestedVirtualization: true/ }],
  },
  { name: 'kubeadm on ubuntu', rule: talosBootstrapImage, spec: { config: { nodeImage: { os: { name: 'ubuntu' } } } }, expected: [] },
  { name: 'talos on talos', rule: talosBootstrapImage, spec: { config: { nodeImage: { os: { name: 'talos' } }, clusterState: { bootstrap: 'talos' } } }, expected: [] },
  {
    name: 'talos bootstrap on ubuntu',
    rule: talosBootstrapImage,
    spec: { config: { nodeImage: { os: { name: 'ubuntu' } }, clusterState: { bootstrap: 'talos' } } },
    expected: [{ code: 'RULE_TALOS_BOOTSTRAP_IMAGE', at: ['stack.yaml', '/clusterState/bootstrap'], related: [['stack.yaml', '/nodeImage/os/name']], hint: /os\.name: talos/ }],
  },
  {
    name: 'talos image with kubeadm',
    rule: talosBootstrapImage,
    spec: { config: { nodeImage: { os: { name: 'talos' } } } },
    expected: [{ code: 'RULE_TALOS_BOOTSTRAP_IMAGE', at: ['stack.yaml', '/nodeImage/os/name'], related: [['stack.yaml', '/clusterState/bootstrap']], hint: /bootstrap: talos/ }],
  },
  { name: 'cgroup v2 with systemd', rule: cgroupV2SystemdDriver, spec: {}, expected: [] },
  { name: 'cgroup v1 with cgroupfs', rule: cgroupV2SystemdDriver, spec: { config: { nodeImage: { cgroup: { version: 'v1', driver: 'cgroupfs' } } } }, expected: [] },
  {
    name: 'cgroup v2 with cgroupfs',
    rule: cgroupV2SystemdDriver,
    spec: { config: { nodeImage: { cgroup: { driver: 'cgroupfs' } } } },
    expected: [{ code: 'RULE_CGROUP_V2_SYSTEMD_DRIVER', at: ['stack.yaml', '/nodeImage/cgroup/driver'], related: [['stack.yaml', '/nodeImage/cgroup/version']], hint: /driver: systemd/ }],
  },
  { name: 'containerd 1.4.0 on cgroup v2', rule: cgroupV2CriVersion, spec: { config: { nodeImage: { cri: { version: '1.4' } } } }, expected: [] },
  { name: 'cri-o v1.20.0 on cgroup v2', rule: cgroupV2CriVersion, spec: { config: { nodeImage: { cri: { name: 'cri-o', version: 'v1.20.0' } } } }, expected: [] },
  { name: 'containerd 1.3 on cgroup v1', rule: cgroupV2CriVersion, spec: { config: { nodeImage: { cri: { version: '1.3.9' }, cgroup: { version: 'v1' } } } }, expected: [] },
  {
    name: 'containerd 1.3.9 on cgroup v2',
    rule: cgroupV2CriVersion,
    spec: { config: { nodeImage: { cri: { version: '1.3.9' } } } },
    expected: [{ code: 'RULE_CGROUP_V2_CRI_VERSION', at: ['stack.yaml', '/nodeImage/cri/version'], related: [['stack.yaml', '/nodeImage/cgroup/version']], hint: /containerd 1\.4 or newer/ }],
  },
  {
    name: 'cri-o 1.19.1 on cgroup v2',
    rule: cgroupV2CriVersion,
    spec: { config: { nodeImage: { cri: { name: 'cri-o', version: 'v1.19.1' } } } },
    expected: [{ code: 'RULE_CGROUP_V2_CRI_VERSION', at: ['stack.yaml', '/nodeImage/cri/version'], related: [['stack.yaml', '/nodeImage/cgroup/version']], hint: /cri-o 1\.20 or newer/ }],
  },
];

describe('node image rules', () => {
  it.each(cases)('$rule.id: $name', ({ rule, spec, expected }) => {
    expectIssues(rule, buildStack(spec), expected);
  });

  it.each([
    ['1.14.0', '4.19.57'],
    ['1.15.19', '4.19.57'],
    ['1.16.0', '5.4'],
    ['1.17.4', '5.4'],
    [undefined, '5.4'],
  ])('Cilium %s needs kernel %s', (cilium, kernel) => {
    expect(ciliumKernelMinimum(cilium)).toBe(kernel);
  });
});
