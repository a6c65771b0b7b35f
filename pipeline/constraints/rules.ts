/** Every cross-layer rule, in report order. Adding a rule means adding it here; nothing is loaded by name. */
import { chartKubeVersion, openstackChartMinor } from './charts.js';
import { etcdKmsNeedsProviderKms, metricsServerKubeletTls } from './cluster-state.js';
import { ccmRequiredForCloud, cniChartMatches, coreAddonsExist, konnectivityNeedsKubeProxy, serviceProxyExclusive } from './core.js';
import { kubeletVersionSkew, kubernetesRange, versionsAscending } from './kubernetes-version.js';
import {
  cgroupV2CriVersion,
  cgroupV2SystemdDriver,
  ciliumKernelMinimumRule,
  ciliumNeedsEbpf,
  kataNeedsNestedVirtualization,
  kubeProxyReplacementKernel,
  talosBootstrapImage,
} from './node-image.js';
import { csiVolumeTypesOffered, loadBalancerAnnotationsNeedLoadBalancers } from './provider.js';
import type { Rule } from './types.js';

/** The rule registry: node image, cluster state, Kubernetes core, provider, versions, charts. */
export const RULES: readonly Rule[] = [
  ciliumNeedsEbpf,
  ciliumKernelMinimumRule,
  kubeProxyReplacementKernel,
  kataNeedsNestedVirtualization,
  talosBootstrapImage,
  cgroupV2SystemdDriver,
  cgroupV2CriVersion,
  etcdKmsNeedsProviderKms,
  metricsServerKubeletTls,
  konnectivityNeedsKubeProxy,
  serviceProxyExclusive,
  ccmRequiredForCloud,
  coreAddonsExist,
  cniChartMatches,
  csiVolumeTypesOffered,
  loadBalancerAnnotationsNeedLoadBalancers,
  kubernetesRange,
  kubeletVersionSkew,
  versionsAscending,
  openstackChartMinor,
  chartKubeVersion,
];
