/** Cluster state rules: etcd encryption against the provider, kubelet serving certificates against metrics-server. */
import type { Location } from '../core/errors.js';
import { where, type Stack } from '../stack/index.js';
import { configAt, findComponent, stackFile, valuesAt } from './locate.js';
import type { Rule } from './types.js';

/** The KMS provider of etcd encryption calls the cloud's key management service. */
export const etcdKmsNeedsProviderKms: Rule = {
  id: 'etcd-kms-needs-provider-kms',
  summary: 'etcd encryption with the kms provider needs a provider that offers a key management service',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    const enc = c?.clusterState.etcdEncryption;
    if (!c || !enc?.enabled || enc.provider !== 'kms' || c.provider.capabilities.kms === true) return [];
    return [{
      message: `etcd encryption uses the kms provider, but provider ${c.provider.name} offers no key management service`,
      hint: 'Use clusterState.etcdEncryption.provider aescbc, aesgcm or secretbox, or set provider.capabilities.kms: true if the provider has a KMS.',
      location: configAt(stack, '/clusterState/etcdEncryption/provider'),
      related: [configAt(stack, '/provider/capabilities/kms')],
    }];
  },
};

const INSECURE_TLS = '--kubelet-insecure-tls';

/**
 * Where metrics-server is told to skip kubelet certificate checks, if anywhere (values.yaml args, then overwrite.yaml
 * or old-convention cluster-addon-values.yaml by text, since those are CSO templates); undefined without metrics-server.
 */
export function insecureKubeletTls(stack: Stack, addonRef: string): { insecure: boolean; location: Location } | undefined {
  const component = findComponent(stack, addonRef, ['metrics-server']);
  if (!component) return undefined;
  const { addon, dep } = component;
  const key = dep.alias ?? dep.name;
  const sub = addon.values[key];
  const args = sub !== null && typeof sub === 'object' && !Array.isArray(sub) ? (sub as Record<string, unknown>).args : undefined;
  const index = Array.isArray(args) ? args.findIndex((a) => typeof a === 'string' && /^--kubelet-insecure-tls(=true)?$/.test(a.trim())) : -1;
  if (index >= 0) return { insecure: true, location: valuesAt(stack, addon, `/${key}/args/${index}`) };
  if (addon.overwrite?.includes(INSECURE_TLS)) {
    return { insecure: true, location: { file: stackFile(stack, `${addon.path}/overwrite.yaml`) } };
  }
  // cluster-addon-values.yaml only reaches the charts in the old convention (CSO ignores it otherwise).
  if (stack.addonConvention === 'old' && stack.addonValues?.includes(INSECURE_TLS)) {
    return { insecure: true, location: where(stack.locations, stackFile(stack, 'cluster-addon-values.yaml'), '/values') };
  }
  return { insecure: false, location: valuesAt(stack, addon, Array.isArray(args) ? `/${key}/args` : `/${key}`) };
}

/** metrics-server scrapes kubelets over TLS: it needs CA-signed serving certificates unless told to skip the check. */
export const metricsServerKubeletTls: Rule = {
  id: 'metrics-server-kubelet-tls',
  summary: 'metrics-server without --kubelet-insecure-tls needs CSR-signed kubelet serving certs; with them the flag is needless',
  needs: 'both',
  check(stack) {
    const c = stack.config;
    const ms = c?.kubernetesCore.metricsServer;
    if (!c || !ms) return [];
    const tls = insecureKubeletTls(stack, ms.addon);
    if (!tls) return [];
    const csrSigning = c.clusterState.kubeletServingCerts.csrSigning;
    if (!tls.insecure && !csrSigning) {
      return [{
        message: 'metrics-server verifies kubelet serving certificates, but kubelets serve self-signed ones (kubeletServingCerts.csrSigning: false)',
        hint: `Enable clusterState.kubeletServingCerts.csrSigning (serverTLSBootstrap plus a CSR approver), or add ${INSECURE_TLS} to the metrics-server args.`,
        location: configAt(stack, '/clusterState/kubeletServingCerts/csrSigning'),
        related: [tls.location],
      }];
    }
    if (tls.insecure && csrSigning) {
      return [{
        severity: 'warning',
        message: `metrics-server skips kubelet certificate checks (${INSECURE_TLS}) although kubelet serving certificates are CSR-signed`,
        hint: `Remove ${INSECURE_TLS}: the kubelets present certificates signed by the cluster CA.`,
        location: tls.location,
        related: [configAt(stack, '/clusterState/kubeletServingCerts/csrSigning')],
      }];
    }
    return [];
  },
};
