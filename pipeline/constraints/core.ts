/** Kubernetes core rules: service proxy, konnectivity, the cloud controller manager and the core addon charts. */
import { where, type StackConfig } from '../stack/index.js';
import { chartAt, configAt, findAddon, stackFile } from './locate.js';
import type { Finding, Rule } from './types.js';

/** konnectivity agents reach the API server through the service network, which kube-proxy programs here. */
export const konnectivityNeedsKubeProxy: Rule = {
  id: 'konnectivity-needs-kube-proxy',
  summary: 'konnectivity needs kube-proxy (its agents reach the server through the kubernetes service)',
  needs: 'config',
  check(stack) {
    const core = stack.config?.kubernetesCore;
    if (!core?.konnectivity.enabled || core.kubeProxy) return [];
    return [{
      message: 'konnectivity is enabled but kube-proxy is not deployed',
      hint: 'Set kubernetesCore.kubeProxy: true (and kubeProxyReplacement: false), or disable konnectivity.',
      location: configAt(stack, '/kubernetesCore/konnectivity/enabled'),
      related: [configAt(stack, '/kubernetesCore/kubeProxy')],
    }];
  },
};

/** Exactly one component must implement Services: kube-proxy or the CNI's replacement. */
export const serviceProxyExclusive: Rule = {
  id: 'service-proxy-exclusive',
  summary: 'Exactly one service proxy: kube-proxy or the CNI kube-proxy replacement, not both and not neither',
  needs: 'config',
  check(stack) {
    const core = stack.config?.kubernetesCore;
    if (!core) return [];
    const replacement = core.cni.kubeProxyReplacement ?? false;
    if (replacement !== core.kubeProxy) return [];
    const both = replacement;
    return [{
      message: both
        ? `kube-proxy is deployed and ${core.cni.name} replaces it too: both program Service rules`
        : 'Neither kube-proxy nor a CNI kube-proxy replacement is deployed: Services will not work',
      hint: both
        ? 'Set kubernetesCore.kubeProxy: false (the CNI handles Services) or kubeProxyReplacement: false.'
        : 'Set kubernetesCore.kubeProxy: true, or enable kubernetesCore.cni.kubeProxyReplacement.',
      location: configAt(stack, '/kubernetesCore/kubeProxy'),
      related: [configAt(stack, '/kubernetesCore/cni/kubeProxyReplacement')],
    }];
  },
};

/** Providers other than docker start nodes with the uninitialized taint that only a CCM removes. */
export const ccmRequiredForCloud: Rule = {
  id: 'ccm-required-for-cloud',
  summary: 'Cloud providers (all but docker) need a cloud controller manager, or nodes stay tainted uninitialized',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c || c.provider.name === 'docker' || c.kubernetesCore.ccm !== null) return [];
    return [{
      message: `Provider ${c.provider.name} needs a cloud controller manager, but kubernetesCore.ccm is null`,
      hint: 'With an external cloud provider kubelets taint nodes node.cloudprovider.kubernetes.io/uninitialized until a CCM initializes them: add kubernetesCore.ccm and its addon chart.',
      location: configAt(stack, '/kubernetesCore/ccm'),
      related: [configAt(stack, '/provider/name')],
    }];
  },
};

type Component = 'cni' | 'ccm' | 'csi' | 'metricsServer';
const COMPONENTS: readonly Component[] = ['cni', 'ccm', 'csi', 'metricsServer'];

function addonRef(core: StackConfig['kubernetesCore'], component: Component): string | undefined {
  return core[component]?.addon;
}

/** A core component whose chart is missing or never staged is silently not installed by CSO. */
export const coreAddonsExist: Rule = {
  id: 'core-addons-exist',
  summary: 'The CNI, CCM, CSI and metrics-server addons named in stack.yaml must exist as cluster-addon charts and be staged',
  needs: 'both',
  check(stack) {
    const core = stack.config?.kubernetesCore;
    if (!core) return [];
    const findings: Finding[] = [];
    for (const component of COMPONENTS) {
      const ref = addonRef(core, component);
      if (ref === undefined) continue;
      const location = configAt(stack, `/kubernetesCore/${component}/addon`);
      if (stack.addonConvention === 'old') {
        const umbrella = stack.addons[0];
        if (umbrella?.dependencies.some((d) => d.alias === ref || d.name === ref)) continue;
        findings.push({
          message: `kubernetesCore.${component}.addon "${ref}" is not a dependency of the cluster-addon umbrella chart`,
          hint: `Add a dependency named or aliased "${ref}" to cluster-addon/Chart.yaml, or fix the name.`,
          location,
          related: [umbrella ? chartAt(stack, umbrella, '/dependencies') : { file: stackFile(stack, 'cluster-addon') }],
        });
        continue;
      }
      if (!findAddon(stack, ref)) {
        findings.push({
          message: `kubernetesCore.${component}.addon "${ref}" has no chart folder cluster-addon/${ref}/`,
          hint: `Add cluster-addon/${ref}/ or use one of the existing folders: ${stack.addons.map((a) => a.addon).join(', ') || 'none'}.`,
          location,
          related: [{ file: stackFile(stack, 'cluster-addon') }],
        });
      } else if (!stack.stages.some((s) => s.name === ref && s.action === 'apply')) {
        findings.push({
          message: `cluster-addon/${ref}/ (kubernetesCore.${component}) is not applied by any stage in clusteraddon.yaml, so CSO never installs it`,
          hint: `Add "- name: ${ref}\n  action: apply" under addonStages.AfterControlPlaneInitialized.`,
          location,
          related: [where(stack.locations, stackFile(stack, 'clusteraddon.yaml'), '/addonStages')],
        });
      }
    }
    return findings;
  },
};

/** Chart names that install each CNI stack.yaml can name. */
export const CNI_CHARTS: Readonly<Record<StackConfig['kubernetesCore']['cni']['name'], readonly string[]>> = {
  cilium: ['cilium'],
  calico: ['tigera-operator', 'calico'],
  flannel: ['flannel'],
};

/** stack.yaml must not claim one CNI while the CNI addon installs another. */
export const cniChartMatches: Rule = {
  id: 'cni-chart-matches',
  summary: "kubernetesCore.cni.name must match the chart the CNI addon installs (cilium <-> chart cilium)",
  needs: 'both',
  check(stack) {
    const cni = stack.config?.kubernetesCore.cni;
    if (!cni) return [];
    const addon = stack.addonConvention === 'new' ? findAddon(stack, cni.addon) : stack.addons[0];
    if (!addon) return [];
    const deps = stack.addonConvention === 'new' ? addon.dependencies : addon.dependencies.filter((d) => d.alias === cni.addon || d.name === cni.addon);
    if (deps.length === 0) return [];
    const expected = CNI_CHARTS[cni.name];
    if (deps.some((d) => expected.includes(d.name))) return [];
    return [{
      message: `kubernetesCore.cni.name is ${cni.name}, but addon ${cni.addon} installs ${deps.map((d) => `chart ${d.name}`).join(', ')}`,
      hint: `Make the CNI addon depend on ${expected.join(' or ')}, or set kubernetesCore.cni.name to the CNI it installs.`,
      location: configAt(stack, '/kubernetesCore/cni/name'),
      related: deps.map((d) => d.location),
    }];
  },
};
