/** `.Capabilities` as `helm template` sees it offline (helm/helm pkg/chartutil/capabilities.go). */
import { UserInputError } from '../../core/errors.js';
import { typedSlice } from '../funcs/go-types.js';
import { GoStruct, withSliceMethods } from '../template/values.js';
import type { GoValue } from '../template/values.js';

/** Kubernetes version `helm template` assumes without --kube-version (Helm 3.19 release binaries, client-go 0.34). */
export const DEFAULT_KUBE_VERSION = 'v1.34.0';

/** The Helm release whose behaviour is reproduced. */
export const HELM_VERSION = { Version: 'v3.19.0', GitCommit: '', GitTreeState: '', GoVersion: 'go1.24.7' };

/** client-go's scheme groups (k8s 1.34) plus apiextensions: DefaultVersionSet. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1alpha1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1', 'apps/v1beta1', 'apps/v1beta2',
  'authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1', 'authentication.k8s.io/v1alpha1',
  'authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1',
  'autoscaling/v1', 'autoscaling/v2', 'autoscaling/v2beta1', 'autoscaling/v2beta2',
  'batch/v1', 'batch/v1beta1',
  'certificates.k8s.io/v1', 'certificates.k8s.io/v1beta1', 'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1', 'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1alpha2',
  'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1', 'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1', 'networking.k8s.io/v1beta1',
  'node.k8s.io/v1', 'node.k8s.io/v1alpha1', 'node.k8s.io/v1beta1',
  'policy/v1', 'policy/v1beta1',
  'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1', 'resource.k8s.io/v1beta1', 'resource.k8s.io/v1beta2', 'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1', 'scheduling.k8s.io/v1alpha1', 'scheduling.k8s.io/v1beta1',
  'storage.k8s.io/v1', 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1alpha1',
  'apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1',
];

/** chartutil.ParseKubeVersion: `1.33`, `v1.33.2`, `1.33.0-rc.1` → `{ version: v1.33.0, major, minor }`. */
export function parseKubeVersion(input: string): { version: string; major: string; minor: string } {
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/.exec(input);
  const parts = m?.[1]?.split('.') ?? [];
  if (!m || parts.length < 2 || (m[2] !== '' && !/^[-+]/.test(m[2] ?? ''))) {
    throw new UserInputError('HELM_BAD_KUBE_VERSION', `invalid kube version "${input}": could not parse`, {
      details: 'Give a Kubernetes version such as v1.33.0 or 1.33.',
    });
  }
  while (parts.length < 3) parts.push('0');
  const nums = parts.map((p) => BigInt(p).toString());
  return { version: `v${nums.join('.')}`, major: nums[0] as string, minor: nums[1] as string };
}

/** The `.Capabilities` struct. */
export function capabilitiesValue(kubeVersion: string | undefined, extraApiVersions: readonly string[] = []): GoStruct {
  const kv = parseKubeVersion(kubeVersion ?? DEFAULT_KUBE_VERSION);
  const versions = [...DEFAULT_API_VERSIONS, ...extraApiVersions];
  const kube = new GoStruct(
    '*chartutil.KubeVersion',
    { Version: kv.version, Major: kv.major, Minor: kv.minor },
    { String: () => kv.version, GitVersion: () => kv.version },
    () => kv.version,
  );
  const helm = new GoStruct('version.BuildInfo', { ...HELM_VERSION });
  return new GoStruct('*chartutil.Capabilities', { APIVersions: versionSet(versions), KubeVersion: kube, HelmVersion: helm });
}

/** chartutil.VersionSet: a `[]string` with `Has(apiVersion string) bool`. */
export function versionSet(versions: readonly string[]): GoValue[] {
  return withSliceMethods(typedSlice([...versions], 'string'), 'chartutil.VersionSet', {
    Has: { params: ['string'], call: (self, v) => self.includes(v as string) },
  });
}
