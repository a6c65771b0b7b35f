import { describe, it } from 'vitest';
import { buildStack, type StackSpec } from './__fixtures__/build-stack.js';
import { expectIssues, type ExpectedIssue } from './__fixtures__/expect-issues.js';
import { csiVolumeTypesOffered, loadBalancerAnnotationsNeedLoadBalancers } from './provider.js';
import type { Rule } from './types.js';

const cinder = { name: 'cinder', addon: 'csi' };
const offers = (...volumeTypes: string[]): { provider: { name: string; capabilities: { volumeTypes: string[] } } } => ({ provider: { name: 'openstack', capabilities: { volumeTypes } } });
const annotations = { standard: { loadBalancerAnnotations: { 'load-balancer.scs.cloud/internal': 'service.beta.kubernetes.io/openstack-internal-load-balancer' } } };

const cases: { name: string; rule: Rule; spec: StackSpec; expected: ExpectedIssue[] }[] = [
  { name: 'no CSI, no block storage', rule: csiVolumeTypesOffered, spec: {}, expected: [] },
  {
    name: 'CSI types and storage classes offered',
    rule: csiVolumeTypesOffered,
    spec: { config: { ...offers('__DEFAULT__', 'ssd'), kubernetesCore: { csi: { ...cinder, volumeTypes: ['ssd'] } }, standard: { storageClasses: [{ name: 'default', volumeType: '__DEFAULT__' }, { name: 'no-type' }] } } },
    expected: [],
  },
  {
    name: 'CSI on a provider without volume types',
    rule: csiVolumeTypesOffered,
    spec: { config: { kubernetesCore: { csi: cinder } } },
    expected: [{ code: 'RULE_CSI_VOLUME_TYPES_OFFERED', at: ['stack.yaml', '/kubernetesCore/csi'], related: [['stack.yaml', '/provider/capabilities/volumeTypes']], hint: /csi: null/ }],
  },
  {
    name: 'CSI volume type and storage class type not offered',
    rule: csiVolumeTypesOffered,
    spec: { config: { ...offers('ssd'), kubernetesCore: { csi: { ...cinder, volumeTypes: ['ssd', 'nvme'] } }, standard: { storageClasses: [{ name: 'fast', volumeType: 'nvme' }] } } },
    expected: [
      { code: 'RULE_CSI_VOLUME_TYPES_OFFERED', at: ['stack.yaml', '/kubernetesCore/csi/volumeTypes/1'], related: [['stack.yaml', '/provider/capabilities/volumeTypes']], hint: /Use one of ssd/, message: /"nvme" is not offered/ },
      { code: 'RULE_CSI_VOLUME_TYPES_OFFERED', at: ['stack.yaml', '/standard/storageClasses/0/volumeType'], related: [['stack.yaml', '/provider/capabilities/volumeTypes']], hint: /storageClasses\[0\]/ },
    ],
  },
  {
    name: 'storage class without a CSI',
    rule: csiVolumeTypesOffered,
    spec: { config: { ...offers('ssd'), standard: { storageClasses: [{ name: 'fast', volumeType: 'ssd' }] } } },
    expected: [{ code: 'RULE_CSI_VOLUME_TYPES_OFFERED', at: ['stack.yaml', '/standard/storageClasses/0/volumeType'], related: [['stack.yaml', '/kubernetesCore/csi']], hint: /Add kubernetesCore\.csi/ }],
  },
  { name: 'no annotations, no load balancers', rule: loadBalancerAnnotationsNeedLoadBalancers, spec: {}, expected: [] },
  { name: 'annotations with octavia', rule: loadBalancerAnnotationsNeedLoadBalancers, spec: { config: { ...annotations, provider: { capabilities: { loadBalancers: ['octavia-ovn'] } } } }, expected: [] },
  {
    name: 'annotations without load balancers',
    rule: loadBalancerAnnotationsNeedLoadBalancers,
    spec: { config: annotations },
    expected: [{
      code: 'RULE_LOAD_BALANCER_ANNOTATIONS_NEED_LOAD_BALANCERS',
      at: ['stack.yaml', '/standard/loadBalancerAnnotations'],
      related: [['stack.yaml', '/provider/capabilities/loadBalancers']],
      hint: /Remove standard\.loadBalancerAnnotations/,
      message: /load-balancer\.scs\.cloud\/internal/,
    }],
  },
];

describe('provider rules', () => {
  it.each(cases)('$rule.id: $name', ({ rule, spec, expected }) => {
    expectIssues(rule, buildStack(spec), expected);
  });
});
