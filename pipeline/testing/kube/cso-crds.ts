/**
 * CSO's kinds (clusterstack.x-k8s.io/v1alpha1 ClusterStack, ClusterStackRelease, ClusterAddon) for the fake API
 * server. ../shared/fixtures/crds has no CSO CRDs, so these are written here from the field lists of CSO's
 * config/crd/bases (v0.1.0-alpha.7): the same fields and types, without descriptions.
 */
import { stringify } from 'yaml';

const objectRef = { type: 'object', properties: Object.fromEntries(['apiVersion', 'fieldPath', 'kind', 'name', 'namespace', 'resourceVersion', 'uid'].map((k) => [k, { type: 'string' }])) };
const conditions = {
  type: 'array',
  items: {
    type: 'object',
    required: ['lastTransitionTime', 'status', 'type'],
    properties: { lastTransitionTime: { type: 'string', format: 'date-time' }, message: { type: 'string' }, reason: { type: 'string' }, severity: { type: 'string' }, status: { type: 'string' }, type: { type: 'string' } },
  },
};
const resources = { type: 'array', items: { type: 'object', properties: Object.fromEntries(['error', 'group', 'kind', 'name', 'namespace', 'status', 'version'].map((k) => [k, { type: 'string' }])) } };

function crd(kind: string, plural: string, spec: object, status: object): { file: string; text: string; group: string; kind: string; plural: string; namespaced: boolean; versions: string[] } {
  const group = 'clusterstack.x-k8s.io';
  const doc = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group, scope: 'Namespaced', names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      versions: [{
        name: 'v1alpha1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec, status } } },
      }],
    },
  };
  return { file: `cso-crds.ts#${kind}`, text: stringify(doc), group, kind, plural, namespaced: true, versions: ['v1alpha1'] };
}

export const CSO_CRDS = [
  crd('ClusterStack', 'clusterstacks', {
    type: 'object', required: ['kubernetesVersion', 'name', 'provider'],
    properties: {
      autoSubscribe: { type: 'boolean', default: true }, channel: { type: 'string', enum: ['stable', 'custom'], default: 'stable' },
      kubernetesVersion: { type: 'string', pattern: '^\\d\\.\\d+$' }, name: { type: 'string', minLength: 1 }, noProvider: { type: 'boolean', default: false },
      provider: { type: 'string', minLength: 1 }, providerRef: objectRef, versions: { type: 'array', items: { type: 'string' } },
    },
  }, {
    type: 'object',
    properties: {
      conditions, latestRelease: { type: 'string' }, usableVersions: { type: 'string' },
      summary: { type: 'array', items: { type: 'object', required: ['name', 'phase', 'ready'], properties: { message: { type: 'string' }, name: { type: 'string' }, phase: { type: 'string' }, ready: { type: 'boolean' } } } },
    },
  }),
  crd('ClusterStackRelease', 'clusterstackreleases', { type: 'object', properties: { providerRef: objectRef } }, {
    type: 'object', properties: { conditions, kubernetesVersion: { type: 'string' }, ready: { type: 'boolean', default: false }, resources },
  }),
  crd('ClusterAddon', 'clusteraddons', {
    type: 'object', required: ['clusterRef'], properties: { clusterRef: objectRef, clusterStack: { type: 'string' }, version: { type: 'string' } },
  }, {
    type: 'object', properties: { conditions, ready: { type: 'boolean', default: false }, resources },
  }),
];
