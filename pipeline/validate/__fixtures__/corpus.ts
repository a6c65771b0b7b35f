/**
 * Bad-input corpus: each case breaks the valid class-chart.yaml (or cluster.yaml) in one way by
 * replacing one exact snippet. The replacement marks the line the issue must point at with `# HERE`.
 */
export interface CorpusCase {
  name: string;
  /** Which file the edit applies to. */
  target: 'chart' | 'cluster';
  find: string;
  replace: string;
  /** Issue code that must be reported at the `# HERE` line of the edited file. */
  code: string;
}

export const corpus: CorpusCase[] = [
  { name: 'wrong type in a template', target: 'chart', code: 'SCHEMA_WRONG_TYPE',
    find: '          hostPath: /var/run/docker.sock\n', replace: '          hostPath: /var/run/docker.sock\n          readOnly: "yes" # HERE\n' },
  { name: 'unknown field in a template', target: 'chart', code: 'SCHEMA_UNKNOWN_FIELD',
    find: 'name: docker-demo-1-32-v1-cluster\n  namespace: cluster\nspec:\n  template:\n    spec: {}', replace: 'name: docker-demo-1-32-v1-cluster\n  namespace: cluster\nspec:\n  template:\n    spec:\n      loadBalancerr: {} # HERE' },
  { name: 'missing required field', target: 'chart', code: 'SCHEMA_MISSING_FIELD',
    find: '    - name: imageName\n      required: false\n', replace: '    - name: imageName # HERE\n' },
  { name: 'dangling template ref', target: 'chart', code: 'CLASS_REF_DANGLING',
    find: '      name: docker-demo-1-32-v1-cluster\n      namespace: cluster\n  workers:', replace: '      name: docker-demo-1-32-v1-clusterx # HERE\n      namespace: cluster\n  workers:' },
  { name: 'ref apiVersion differs from the template', target: 'chart', code: 'CLASS_REF_MISMATCH',
    find: '      apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\n      kind: DockerClusterTemplate', replace: '      apiVersion: infrastructure.cluster.x-k8s.io/v1beta2 # HERE\n      kind: DockerClusterTemplate' },
  { name: 'wrong CRD version', target: 'chart', code: 'SCHEMA_UNKNOWN_VERSION',
    find: 'apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: DockerClusterTemplate', replace: 'apiVersion: infrastructure.cluster.x-k8s.io/v1alpha9 # HERE\nkind: DockerClusterTemplate' },
  { name: 'kind without schema', target: 'chart', code: 'SCHEMA_UNKNOWN_KIND',
    find: 'apiVersion: bootstrap.cluster.x-k8s.io/v1beta1\nkind: KubeadmConfigTemplate', replace: 'apiVersion: bootstrap.cluster.x-k8s.io/v1beta1\nkind: KubeadmConfigTemplat # HERE' },
  { name: 'patch adds under a missing parent', target: 'chart', code: 'DRY_RUN_PATCH_FAILED',
    find: '              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/extraArgs/audit-log-path', replace: '              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/scheduler/extraArgs/audit-log-path # HERE' },
  { name: 'patch outside /spec', target: 'chart', code: 'PATCH_PATH_OUTSIDE_SPEC',
    find: '              path: /spec/template/spec/customImage', replace: '              path: /metadata/labels/image # HERE' },
  { name: 'patch op not allowed', target: 'chart', code: 'PATCH_OP_INVALID',
    find: '            - op: add\n              path: /spec/template/spec/customImage', replace: '            - op: move # HERE\n              path: /spec/template/spec/customImage' },
  { name: 'enabledIf renders text that is not YAML (CAPI patchIsEnabled fails)', target: 'chart', code: 'DRY_RUN_ENABLED_IF',
    find: "      enabledIf: '{{ if .auditLogging }}true{{ end }}'", replace: "      enabledIf: '[{{ .auditLogging }}' # HERE" },
  { name: 'enabledIf reads an undefined variable', target: 'chart', code: 'PATCH_TEMPLATE_UNDEFINED_VARIABLE',
    find: "      enabledIf: '{{ if .imageName }}true{{ end }}'", replace: "      enabledIf: '{{ if .imageNme }}true{{ end }}' # HERE" },
  { name: 'valueFrom.variable undefined', target: 'chart', code: 'PATCH_VARIABLE_UNDEFINED',
    find: '                variable: imageName', replace: '                variable: imageNam # HERE' },
  { name: 'valueFrom.variable reads an undeclared field', target: 'chart', code: 'PATCH_VARIABLE_UNDEFINED',
    find: '                variable: oidcConfig.clientID', replace: '                variable: oidcConfig.clientId # HERE' },
  { name: 'value template does not parse', target: 'chart', code: 'PATCH_TEMPLATE_INVALID',
    find: "                template: '{{ concat (list \"localhost\") .certSANs | toJson }}'", replace: "                template: '{{ concat (list \"localhost\") .certSANs | toJson }' # HERE" },
  { name: 'selector matches no template', target: 'chart', code: 'PATCH_SELECTOR_UNMATCHED',
    find: '    - name: certSANs\n      enabledIf: \'{{ if .certSANs }}true{{ end }}\'\n      definitions:\n        - selector:\n            apiVersion: controlplane.cluster.x-k8s.io/v1beta1\n            kind: KubeadmControlPlaneTemplate',
    replace: '    - name: certSANs\n      enabledIf: \'{{ if .certSANs }}true{{ end }}\'\n      definitions:\n        - selector: # HERE\n            apiVersion: controlplane.cluster.x-k8s.io/v1beta2\n            kind: KubeadmControlPlaneTemplate' },
  { name: 'variable schema not structural', target: 'chart', code: 'VARIABLE_SCHEMA_NOT_STRUCTURAL',
    find: '        openAPIV3Schema:\n          type: array\n          default: []\n          items:\n            type: string\n', replace: '        openAPIV3Schema: # HERE\n          type: array\n          default: []\n' },
  { name: 'variable default does not match its schema', target: 'chart', code: 'VARIABLE_DEFAULT_INVALID',
    find: '          type: boolean\n          default: true', replace: '          type: boolean\n          default: "yes" # HERE' },
  { name: 'ClusterClass not named <release>-<version>', target: 'chart', code: 'CLASS_NAME_MISMATCH',
    find: 'kind: ClusterClass\nmetadata:\n  name: docker-demo-1-32-v1', replace: 'kind: ClusterClass\nmetadata:\n  name: docker-demo-1-32-v2 # HERE' },
  { name: 'duplicate patch name', target: 'chart', code: 'PATCH_NAME_DUPLICATE',
    find: "    - name: certSANs\n      enabledIf:", replace: "    - name: oidc # HERE\n      enabledIf:" },
  { name: 'array index in a patch path', target: 'chart', code: 'PATCH_PATH_INDEX',
    find: '            - op: add\n              path: /spec/template/spec/customImage', replace: '            - op: replace\n              path: /spec/template/spec/extraMounts/0/hostPath # HERE' },
  { name: 'value and valueFrom together', target: 'chart', code: 'PATCH_VALUE_XOR',
    find: '              value: /var/log/kubernetes/audit/audit.log', replace: '              value: /var/log/kubernetes/audit/audit.log\n              valueFrom: # HERE\n                variable: auditLogging' },
  { name: 'patch path not in the template schema', target: 'chart', code: 'PATCH_PATH_UNKNOWN_FIELD',
    find: '              path: /spec/template/spec/customImage', replace: '              path: /spec/template/spec/customImagee # HERE' },
  { name: 'patched template fails its schema', target: 'chart', code: 'SCHEMA_WRONG_TYPE',
    find: "            - op: add\n              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/certSANs\n              valueFrom:\n                template: '{{ concat (list \"localhost\") .certSANs | toJson }}'",
    replace: "            - op: add # HERE\n              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/apiServer/certSANs\n              valueFrom:\n                template: '{{ .certSANs | len }}'" },
  { name: 'Cluster sets an undefined variable', target: 'cluster', code: 'CLUSTER_VARIABLE_UNDEFINED',
    find: '      - name: imageName', replace: '      - name: imageNme # HERE' },
  { name: 'Cluster variable of the wrong type', target: 'cluster', code: 'CLUSTER_VARIABLE_INVALID',
    find: '        value:\n          - api.example.com', replace: '        value: api.example.com # HERE' },
  { name: 'Cluster uses an unknown worker class', target: 'cluster', code: 'CLUSTER_MD_CLASS_UNKNOWN',
    find: '        - class: default-worker', replace: '        - class: big-worker # HERE' },
  { name: 'Cluster unknown field', target: 'cluster', code: 'SCHEMA_UNKNOWN_FIELD',
    find: '    controlPlane:\n      replicas: 1', replace: '    controlPlane:\n      replica: 1 # HERE' },
  { name: 'Cluster for another class', target: 'cluster', code: 'CLUSTER_CLASS_MISMATCH',
    find: '    class: docker-demo-1-32-v1', replace: '    class: openstack-demo-1-32-v1 # HERE' },
];
