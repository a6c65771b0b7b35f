/**
 * Hand-maintained, compact schemas for the Kubernetes built-in kinds our addon charts render
 * (docs/validation.md explains the choice). They are strict where mistakes are common — top-level
 * fields, spec fields, pod template, container fields and their types — and open
 * (x-kubernetes-preserve-unknown-fields) below that, so they never reject a valid object.
 */
import type { CrdVersion } from './crd-schema.js';

type S = Record<string, unknown>;

// Built-in kinds decode JSON null as "unset" for every optional field, so every node is nullable.
const str: S = { type: 'string', nullable: true };
const int: S = { type: 'integer', nullable: true };
const bool: S = { type: 'boolean', nullable: true };
const intOrStr: S = { 'x-kubernetes-int-or-string': true, nullable: true };
const open: S = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, nullable: true };
const strMap: S = { type: 'object', additionalProperties: str, nullable: true };
const list = (items: S): S => ({ type: 'array', items, nullable: true });
const obj = (properties: Record<string, S>, required?: string[]): S => ({ type: 'object', properties, nullable: true, ...(required ? { required } : {}) });
/** An object whose listed fields are typed and whose other fields are not checked. */
const partial = (properties: Record<string, S>, required?: string[]): S => ({ ...obj(properties, required), 'x-kubernetes-preserve-unknown-fields': true });
const labelSelector = obj({ matchLabels: strMap, matchExpressions: list(open) });

const CONTAINER = obj({
  name: str, image: str, command: list(str), args: list(str), workingDir: str, ports: list(obj({ name: str, containerPort: int, hostPort: int, protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] }, hostIP: str }, ['containerPort'])),
  envFrom: list(open), env: list(obj({ name: str, value: str, valueFrom: open }, ['name'])), resources: open, resizePolicy: list(open), restartPolicy: str,
  volumeMounts: list(obj({ name: str, mountPath: str, subPath: str, subPathExpr: str, readOnly: bool, recursiveReadOnly: str, mountPropagation: str }, ['name', 'mountPath'])),
  volumeDevices: list(open), livenessProbe: open, readinessProbe: open, startupProbe: open, lifecycle: open, terminationMessagePath: str,
  terminationMessagePolicy: str, imagePullPolicy: { type: 'string', enum: ['Always', 'Never', 'IfNotPresent'] }, securityContext: open, stdin: bool, stdinOnce: bool, tty: bool,
}, ['name']);

const POD_SPEC = obj({
  volumes: list(partial({ name: str }, ['name'])), initContainers: list(CONTAINER), containers: list(CONTAINER), ephemeralContainers: list(open),
  restartPolicy: { type: 'string', enum: ['Always', 'OnFailure', 'Never'] }, terminationGracePeriodSeconds: int, activeDeadlineSeconds: int, dnsPolicy: str,
  nodeSelector: strMap, serviceAccountName: str, serviceAccount: str, automountServiceAccountToken: bool, nodeName: str, hostNetwork: bool, hostPID: bool,
  hostIPC: bool, shareProcessNamespace: bool, securityContext: open, imagePullSecrets: list(obj({ name: str })), hostname: str, subdomain: str, affinity: open,
  schedulerName: str, tolerations: list(obj({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int })), hostAliases: list(open),
  priorityClassName: str, priority: int, dnsConfig: open, readinessGates: list(open), runtimeClassName: str, enableServiceLinks: bool, preemptionPolicy: str,
  overhead: open, topologySpreadConstraints: list(open), setHostnameAsFQDN: bool, os: open, hostUsers: bool, schedulingGates: list(open), resourceClaims: list(open),
}, ['containers']);

const POD_TEMPLATE = obj({ metadata: obj({ name: str, namespace: str, labels: strMap, annotations: strMap }), spec: POD_SPEC });
const RULE = obj({ apiGroups: list(str), resources: list(str), resourceNames: list(str), verbs: list(str), nonResourceURLs: list(str) }, ['verbs']);
const SUBJECT = obj({ kind: str, apiGroup: str, name: str, namespace: str }, ['kind', 'name']);
const ROLE_REF = obj({ apiGroup: str, kind: str, name: str }, ['apiGroup', 'kind', 'name']);
const STRATEGY = obj({ type: str, rollingUpdate: obj({ maxUnavailable: intOrStr, maxSurge: intOrStr, partition: int }) });

/** Top-level fields (besides apiVersion, kind, metadata) of each built-in kind, by `group/version/Kind`. */
const KINDS: Record<string, Record<string, S>> = {
  '/v1/ConfigMap': { data: strMap, binaryData: strMap, immutable: bool },
  '/v1/Secret': { data: strMap, stringData: strMap, type: str, immutable: bool },
  '/v1/ServiceAccount': { secrets: list(open), imagePullSecrets: list(obj({ name: str })), automountServiceAccountToken: bool },
  '/v1/Namespace': { spec: open },
  '/v1/Service': {
    spec: obj({
      ports: list(obj({ name: str, protocol: str, appProtocol: str, port: int, targetPort: intOrStr, nodePort: int }, ['port'])), selector: strMap, clusterIP: str,
      clusterIPs: list(str), type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] }, externalIPs: list(str), sessionAffinity: str,
      loadBalancerIP: str, loadBalancerSourceRanges: list(str), externalName: str, externalTrafficPolicy: str, healthCheckNodePort: int, publishNotReadyAddresses: bool,
      sessionAffinityConfig: open, ipFamilies: list(str), ipFamilyPolicy: str, allocateLoadBalancerNodePorts: bool, loadBalancerClass: str, internalTrafficPolicy: str, trafficDistribution: str,
    }),
  },
  'apps/v1/Deployment': { spec: obj({ replicas: int, selector: labelSelector, template: POD_TEMPLATE, strategy: STRATEGY, minReadySeconds: int, revisionHistoryLimit: int, paused: bool, progressDeadlineSeconds: int }, ['selector', 'template']) },
  'apps/v1/DaemonSet': { spec: obj({ selector: labelSelector, template: POD_TEMPLATE, updateStrategy: STRATEGY, minReadySeconds: int, revisionHistoryLimit: int }, ['selector', 'template']) },
  'apps/v1/StatefulSet': { spec: obj({ replicas: int, selector: labelSelector, template: POD_TEMPLATE, volumeClaimTemplates: list(open), serviceName: str, podManagementPolicy: str, updateStrategy: STRATEGY, revisionHistoryLimit: int, minReadySeconds: int, persistentVolumeClaimRetentionPolicy: open, ordinals: open }, ['selector', 'template']) },
  'batch/v1/Job': { spec: obj({ parallelism: int, completions: int, activeDeadlineSeconds: int, backoffLimit: int, ttlSecondsAfterFinished: int, completionMode: str, suspend: bool, selector: labelSelector, manualSelector: bool, template: POD_TEMPLATE, podFailurePolicy: open, backoffLimitPerIndex: int, maxFailedIndexes: int, podReplacementPolicy: str }, ['template']) },
  'rbac.authorization.k8s.io/v1/ClusterRole': { rules: list(RULE), aggregationRule: open },
  'rbac.authorization.k8s.io/v1/Role': { rules: list(RULE) },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { subjects: list(SUBJECT), roleRef: ROLE_REF },
  'rbac.authorization.k8s.io/v1/RoleBinding': { subjects: list(SUBJECT), roleRef: ROLE_REF },
  'storage.k8s.io/v1/StorageClass': { provisioner: str, parameters: strMap, reclaimPolicy: { type: 'string', enum: ['Delete', 'Retain'] } /* apiserver: Recycle is not allowed for StorageClass */, mountOptions: list(str), allowVolumeExpansion: bool, volumeBindingMode: { type: 'string', enum: ['Immediate', 'WaitForFirstConsumer'] }, allowedTopologies: list(open) },
  'storage.k8s.io/v1/CSIDriver': { spec: obj({ attachRequired: bool, podInfoOnMount: bool, volumeLifecycleModes: list(str), storageCapacity: bool, fsGroupPolicy: str, tokenRequests: list(open), requiresRepublish: bool, seLinuxMount: bool, nodeAllocatableUpdatePeriodSeconds: int }) },
  'policy/v1/PodDisruptionBudget': { spec: obj({ minAvailable: intOrStr, maxUnavailable: intOrStr, selector: labelSelector, unhealthyPodEvictionPolicy: str }) },
  'scheduling.k8s.io/v1/PriorityClass': { value: int, globalDefault: bool, description: str, preemptionPolicy: str },
  'apiregistration.k8s.io/v1/APIService': { spec: obj({ service: obj({ namespace: str, name: str, port: int }), group: str, version: str, insecureSkipTLSVerify: bool, caBundle: str, groupPriorityMinimum: int, versionPriority: int }, ['groupPriorityMinimum', 'versionPriority']) },
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': { webhooks: list(open) },
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': { webhooks: list(open) },
  'networking.k8s.io/v1/NetworkPolicy': { spec: open },
  'networking.k8s.io/v1/IngressClass': { spec: open },
  'autoscaling/v2/HorizontalPodAutoscaler': { spec: open },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { spec: open },
  'coordination.k8s.io/v1/Lease': { spec: open },
  '/v1/PersistentVolumeClaim': { spec: open },
  '/v1/Pod': { spec: POD_SPEC },
  '/v1/PodTemplate': { template: POD_TEMPLATE },
  '/v1/ResourceQuota': { spec: open },
  '/v1/LimitRange': { spec: open },
};

/** Where these schemas come from, shown in messages. */
export const CORE_SCHEMA_FILE = 'csp built-in core schemas (pipeline/validate/core-schemas.ts)';

/** The built-in kinds as catalog entries (status is accepted everywhere; the apiserver ignores it). */
export function coreSchemaVersions(): CrdVersion[] {
  return Object.entries(KINDS).map(([gvk, props]) => {
    const [group, version, kind] = gvk.split('/') as [string, string, string];
    return {
      group, version, kind, served: true, deprecated: false, file: CORE_SCHEMA_FILE,
      openAPIV3Schema: { type: 'object', properties: { ...props, status: open } },
    };
  });
}

/** Where the core kinds of a catalog came from, for `csp validate` and `csp build` output. */
export interface CoreSchemaSource {
  source: 'catalog' | 'kubernetes-openapi' | 'built-in';
  /** OpenAPI documents read from the cache or --crds (empty when only the catalog or the built-in subset is used). */
  documents: string[];
  /** Kinds (group/version/Kind) the catalog and the OpenAPI documents define. */
  openapiKinds: number;
  /** Built-in kinds still in use because neither defines their group/version/kind. */
  builtInKinds: string[];
  /** Kubernetes minor of the catalog's core kinds, when the catalog was used. */
  catalogMinor?: string;
  /** One line for the output. */
  note: string;
}

/**
 * Summarises where the core kinds come from: the committed catalog (with its minor), OpenAPI documents of the
 * cache or --crds (which override it), and the built-in subset for whatever neither defines.
 */
export function describeCoreSchemas(builtIn: readonly CrdVersion[], openapi: readonly CrdVersion[], documents: readonly string[], catalog?: { kubernetes?: { minor: string; source: string } }): CoreSchemaSource {
  const key = (v: CrdVersion) => `${v.group ? `${v.group}/` : ''}${v.version}/${v.kind}`;
  const fromOpenApi = new Set(openapi.map(key));
  if (fromOpenApi.size === 0) {
    return { source: 'built-in', documents: [], openapiKinds: 0, builtInKinds: builtIn.map(key), note: 'core kinds: built-in subset (pipeline/validate/core-schemas.ts, strict only at the top levels): no schema catalog minor and no OpenAPI documents; run csp schemas sync (or csp schemas catalog)' };
  }
  const rest = builtIn.map(key).filter((k) => !fromOpenApi.has(k));
  const folders = [...new Set(documents.map((d) => d.split(/[\\/]/).slice(-2, -1)[0] ?? d))].join(', ');
  const parts = [
    ...(catalog?.kubernetes ? [`schema catalog, Kubernetes ${catalog.kubernetes.minor} OpenAPI v2 (${catalog.kubernetes.source})`] : []),
    ...(documents.length ? [`Kubernetes OpenAPI documents in ${folders} (${documents.length}, override the catalog)`] : []),
  ];
  return {
    source: catalog?.kubernetes && documents.length === 0 ? 'catalog' : 'kubernetes-openapi', documents: [...documents], openapiKinds: fromOpenApi.size, builtInKinds: rest,
    ...(catalog?.kubernetes ? { catalogMinor: catalog.kubernetes.minor } : {}),
    note: `core kinds: ${parts.join('; ')}: ${fromOpenApi.size} kinds${rest.length ? `; built-in subset for ${rest.join(', ')}` : ''}`,
  };
}
