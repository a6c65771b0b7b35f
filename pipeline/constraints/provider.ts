/** Provider rules: what the stack promises (volume types, load-balancer annotations) must be something the provider offers. */
import { configAt } from './locate.js';
import type { Finding, Rule } from './types.js';

/** A storage class for a volume type the provider lacks leaves PersistentVolumeClaims pending forever. */
export const csiVolumeTypesOffered: Rule = {
  id: 'csi-volume-types-offered',
  summary: 'CSI and standard storage-class volume types must be offered by the provider (no CSI without block storage)',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    if (!c) return [];
    const offered = c.provider.capabilities.volumeTypes;
    const offeredAt = configAt(stack, '/provider/capabilities/volumeTypes');
    const csi = c.kubernetesCore.csi;
    const findings: Finding[] = [];
    if (csi && offered.length === 0) {
      findings.push({
        message: `CSI ${csi.name} is deployed, but provider ${c.provider.name} offers no volume types (no block storage)`,
        hint: 'Set kubernetesCore.csi: null, or list the provider\'s volume types in provider.capabilities.volumeTypes.',
        location: configAt(stack, '/kubernetesCore/csi'),
        related: [offeredAt],
      });
    }
    const unknown = (type: string): boolean => offered.length > 0 && !offered.includes(type);
    const list = offered.join(', ');
    (csi?.volumeTypes ?? []).forEach((type, i) => {
      if (!unknown(type)) return;
      findings.push({
        message: `CSI volume type "${type}" is not offered by provider ${c.provider.name} (offers ${list})`,
        hint: `Use one of ${list}, or add "${type}" to provider.capabilities.volumeTypes if the provider has it.`,
        location: configAt(stack, `/kubernetesCore/csi/volumeTypes/${i}`),
        related: [offeredAt],
      });
    });
    (c.standard?.storageClasses ?? []).forEach((sc, i) => {
      if (sc.volumeType === undefined) return;
      const location = configAt(stack, `/standard/storageClasses/${i}/volumeType`);
      if (!csi) {
        findings.push({
          message: `Storage class ${sc.name} uses volume type "${sc.volumeType}", but the stack deploys no CSI`,
          hint: 'Add kubernetesCore.csi, or drop the storage class from standard.storageClasses.',
          location,
          related: [configAt(stack, '/kubernetesCore/csi')],
        });
      } else if (unknown(sc.volumeType)) {
        findings.push({
          message: `Storage class ${sc.name} uses volume type "${sc.volumeType}", which provider ${c.provider.name} does not offer (offers ${list})`,
          hint: `Use one of ${list} for standard.storageClasses[${i}].volumeType.`,
          location,
          related: [offeredAt],
        });
      }
    });
    return findings;
  },
};

/** Load-balancer annotations only mean something when a load balancer reads them. */
export const loadBalancerAnnotationsNeedLoadBalancers: Rule = {
  id: 'load-balancer-annotations-need-load-balancers',
  summary: 'Standard load-balancer annotations can only be promised by a provider that offers load balancers',
  needs: 'config',
  check(stack) {
    const c = stack.config;
    const annotations = Object.keys(c?.standard?.loadBalancerAnnotations ?? {});
    if (!c || annotations.length === 0 || c.provider.capabilities.loadBalancers.length > 0) return [];
    return [{
      message: `standard.loadBalancerAnnotations promises ${annotations.join(', ')}, but provider ${c.provider.name} offers no load balancers`,
      hint: 'Remove standard.loadBalancerAnnotations, or list the provider\'s load balancers in provider.capabilities.loadBalancers.',
      location: configAt(stack, '/standard/loadBalancerAnnotations'),
      related: [configAt(stack, '/provider/capabilities/loadBalancers')],
    }];
  },
};
