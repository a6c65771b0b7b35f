/** Node image rules: what the CNI, the OCI runtime, the bootstrap and the cgroup setup demand of the image. */
import semver from 'semver';
import { configAt, depVersion, findComponent, pinAt } from './locate.js';
import type { Finding, Rule } from './types.js';
import { atLeast } from './versions.js';

/** Cilium needs BPF in the kernel: its whole datapath is eBPF programs. */
export const ciliumNeedsEbpf: Rule = {
  id: 'cilium-needs-ebpf',
  summary: 'Cilium as CNI needs a node image with eBPF enabled (its datapath is eBPF programs)',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c || c.kubernetesCore.cni.name !== 'cilium' || c.nodeImage.ebpf) return [];
    return [{
      message: 'Cilium is the CNI but the node image does not enable eBPF (nodeImage.ebpf: false)',
      hint: 'Build the node image with CONFIG_BPF_SYSCALL and BTF and set nodeImage.ebpf: true, or choose another CNI.',
      location: configAt(stack, '/nodeImage/ebpf'),
      related: [configAt(stack, '/kubernetesCore/cni/name')],
    }];
  },
};

/** Kernel floor of a Cilium release (docs.cilium.io "System Requirements": 4.19.57 up to 1.15, 5.4 from 1.16). */
export function ciliumKernelMinimum(ciliumVersion: string | undefined): string {
  const v = ciliumVersion === undefined ? null : semver.coerce(ciliumVersion);
  return v && semver.lt(v, '1.16.0') ? '4.19.57' : '5.4';
}

/** Cilium refuses to start on kernels older than its documented minimum. */
export const ciliumKernelMinimumRule: Rule = {
  id: 'cilium-kernel-minimum',
  summary: "The node image kernel must meet the Cilium release's minimum (>= 5.4 from Cilium 1.16, >= 4.19.57 before)",
  needs: 'both',
  check(stack, target) {
    const c = stack.config;
    if (!c || c.kubernetesCore.cni.name !== 'cilium') return [];
    const component = findComponent(stack, c.kubernetesCore.cni.addon, ['cilium']);
    const version = component ? depVersion(target, component.dep) : undefined;
    const minimum = ciliumKernelMinimum(version);
    if (atLeast(c.nodeImage.kernel.minimum, minimum) !== false) return [];
    const pinned = component ? pinAt(stack, target, component.dep.name) : undefined;
    const related = [configAt(stack, '/kubernetesCore/cni/name')];
    if (component) related.push(pinned ?? component.dep.location);
    const which = version ? `Cilium ${version}${pinned ? ` (pinned for Kubernetes ${target.version})` : ''}` : 'Cilium';
    return [{
      message: `${which} needs Linux kernel >= ${minimum}, but the node image may ship kernel ${c.nodeImage.kernel.minimum}`,
      hint: `Raise nodeImage.kernel.minimum to ${minimum} or newer (build the image on a newer distribution)${minimum === '5.4' ? ', or pin Cilium < 1.16' : ''}.`,
      location: configAt(stack, '/nodeImage/kernel/minimum'),
      related,
    }];
  },
};

/** Cilium's kube-proxy replacement relies on socket-LB and BPF features this project requires from kernel 5.10. */
export const kubeProxyReplacementKernel: Rule = {
  id: 'kube-proxy-replacement-kernel',
  summary: "Cilium kube-proxy replacement needs node image kernel >= 5.10 (socket-LB and eBPF host routing)",
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c || c.kubernetesCore.cni.name !== 'cilium' || !c.kubernetesCore.cni.kubeProxyReplacement) return [];
    if (atLeast(c.nodeImage.kernel.minimum, '5.10') !== false) return [];
    return [{
      message: `Cilium kube-proxy replacement needs Linux kernel >= 5.10, but the node image may ship kernel ${c.nodeImage.kernel.minimum}`,
      hint: 'Raise nodeImage.kernel.minimum to 5.10 or newer, or set kubernetesCore.cni.kubeProxyReplacement: false and kubeProxy: true.',
      location: configAt(stack, '/nodeImage/kernel/minimum'),
      related: [configAt(stack, '/kubernetesCore/cni/kubeProxyReplacement')],
    }];
  },
};

/** Kata runs every pod in a lightweight VM, so nodes (themselves VMs) need nested virtualization. */
export const kataNeedsNestedVirtualization: Rule = {
  id: 'kata-needs-nested-virtualization',
  summary: 'The kata OCI runtime runs pods in VMs and needs a provider with nested virtualization',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c || c.nodeImage.ociRuntime.name !== 'kata' || c.provider.capabilities.nestedVirtualization) return [];
    return [{
      message: `The node image uses the kata runtime, but provider ${c.provider.name} offers no nested virtualization`,
      hint: 'Use runc, crun or gvisor, or a provider (flavor) with nested virtualization (provider.capabilities.nestedVirtualization: true).',
      location: configAt(stack, '/nodeImage/ociRuntime/name'),
      related: [configAt(stack, '/provider/capabilities/nestedVirtualization')],
    }];
  },
};

/** Talos machines are configured by the Talos bootstrap provider only, and it only configures Talos machines. */
export const talosBootstrapImage: Rule = {
  id: 'talos-bootstrap-image',
  summary: 'Talos bootstrap needs a Talos node image and a Talos node image needs Talos bootstrap',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c) return [];
    const talosImage = c.nodeImage.os.name === 'talos';
    const talosBootstrap = c.clusterState.bootstrap === 'talos';
    if (talosImage === talosBootstrap) return [];
    const finding: Finding = talosBootstrap
      ? {
          message: `Talos bootstrap cannot configure a ${c.nodeImage.os.name} node image`,
          hint: 'Use a Talos node image (nodeImage.os.name: talos) or kubeadm bootstrap.',
          location: configAt(stack, '/clusterState/bootstrap'),
          related: [configAt(stack, '/nodeImage/os/name')],
        }
      : {
          message: `A Talos node image has no shell or cloud-init for ${c.clusterState.bootstrap} bootstrap`,
          hint: 'Use clusterState.bootstrap: talos with a Talos image, or another node image for kubeadm.',
          location: configAt(stack, '/nodeImage/os/name'),
          related: [configAt(stack, '/clusterState/bootstrap')],
        };
    return [finding];
  },
};

/** With cgroup v2 systemd owns the hierarchy; kubelet and CRI must use the systemd driver (kubeadm default since 1.22). */
export const cgroupV2SystemdDriver: Rule = {
  id: 'cgroup-v2-systemd-driver',
  summary: 'cgroup v2 node images need the systemd cgroup driver (systemd owns the cgroup tree)',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c || c.nodeImage.cgroup.version !== 'v2' || c.nodeImage.cgroup.driver === 'systemd') return [];
    return [{
      message: 'The node image uses cgroup v2 with the cgroupfs driver',
      hint: 'Set nodeImage.cgroup.driver: systemd (and SystemdCgroup = true for the CRI) so kubelet and systemd agree on the cgroup tree.',
      location: configAt(stack, '/nodeImage/cgroup/driver'),
      related: [configAt(stack, '/nodeImage/cgroup/version')],
    }];
  },
};

/** First CRI releases that support cgroup v2. */
export const CGROUP_V2_CRI_MINIMUM: Readonly<Record<'containerd' | 'cri-o', string>> = { containerd: '1.4', 'cri-o': '1.20' };

/** An older CRI cannot run containers on a cgroup v2 host. */
export const cgroupV2CriVersion: Rule = {
  id: 'cgroup-v2-cri-version',
  summary: 'cgroup v2 needs a CRI that supports it (containerd >= 1.4, cri-o >= 1.20)',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c || c.nodeImage.cgroup.version !== 'v2') return [];
    const minimum = CGROUP_V2_CRI_MINIMUM[c.nodeImage.cri.name];
    if (atLeast(c.nodeImage.cri.version, minimum) !== false) return [];
    return [{
      message: `${c.nodeImage.cri.name} ${c.nodeImage.cri.version} does not support cgroup v2 (needs >= ${minimum})`,
      hint: `Ship ${c.nodeImage.cri.name} ${minimum} or newer in the node image, or use cgroup v1.`,
      location: configAt(stack, '/nodeImage/cri/version'),
      related: [configAt(stack, '/nodeImage/cgroup/version')],
    }];
  },
};
