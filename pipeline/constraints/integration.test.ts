import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStack, type Stack } from '../stack/index.js';
import { scsStacksDir } from '../testing/paths.js';
import { checkCompatibility } from './index.js';
import { RULES } from './rules.js';

const configRuleIds = RULES.filter((r) => r.needs !== 'charts').map((r) => r.id);

async function load(dir: string, cwd: string): Promise<Stack> {
  const { stack, issues } = await loadStack(dir, { cwd });
  if (!stack) throw new Error(`stack did not load: ${JSON.stringify(issues)}`);
  return stack;
}

describe('the SCS cluster stacks (no stack.yaml)', () => {
  it.each(['docker/scs', 'openstack/scs'])('%s: config rules are skipped, chart rules find nothing', async (rel) => {
    const stack = await load(path.join(scsStacksDir, rel), scsStacksDir);
    expect(checkCompatibility(stack)).toEqual({ issues: [], skipped: configRuleIds });
  });

  it('openstack/scs: without its versions.yaml pins the 2.32 CCM and CSI charts do not fit Kubernetes 1.30 and 1.31', async () => {
    const stack = await load(path.join(scsStacksDir, 'openstack/scs'), scsStacksDir);
    const unpinned: Stack = { ...stack, targets: stack.targets.map((t) => ({ ...t, charts: {} })) };
    const found = checkCompatibility(unpinned).issues.map((i) => `${i.code} ${i.location?.file}:${i.location?.line} -> ${i.related?.map((r) => `${r.file}:${r.line}`).join(',')}`);
    expect(found).toEqual([
      'RULE_OPENSTACK_CHART_MINOR openstack/scs/cluster-addon/ccm/Chart.yaml:3 -> openstack/scs/versions.yaml:1',
      'RULE_OPENSTACK_CHART_MINOR openstack/scs/cluster-addon/csi/Chart.yaml:3 -> openstack/scs/versions.yaml:1',
      'RULE_OPENSTACK_CHART_MINOR openstack/scs/cluster-addon/ccm/Chart.yaml:3 -> openstack/scs/versions.yaml:4',
      'RULE_OPENSTACK_CHART_MINOR openstack/scs/cluster-addon/csi/Chart.yaml:3 -> openstack/scs/versions.yaml:4',
    ]);
  });
});

const STACK_FILES: Record<string, string> = {
  'csctl.yaml': `apiVersion: csctl.clusterstack.x-k8s.io/v1alpha1
config:
  kubernetesVersion: v1.32.5
  clusterStackName: kpr
  provider:
    type: docker
    apiVersion: docker.csctl.clusterstack.x-k8s.io/v1alpha1
`,
  'stack.yaml': `apiVersion: csp.scs.community/v1alpha1
kind: Stack
provider:
  name: docker
  capabilities: { nestedVirtualization: false, loadBalancers: [], volumeTypes: [] }
nodeImage:
  os: { name: ubuntu, version: "22.04" }
  kernel:
    minimum: "5.4"
  cgroup: { version: v2, driver: systemd }
  cri: { name: containerd, version: "1.7.24" }
  ociRuntime: { name: runc }
  ebpf: true
clusterState:
  bootstrap: kubeadm
  auditLogs: { enabled: false }
  etcdEncryption: { enabled: false }
  oidc: { configurable: false }
  admissionPlugins: []
  kubeletServingCerts: { csrSigning: false }
kubernetesCore:
  cni:
    name: cilium
    addon: cni
    kubeProxyReplacement: true
  kubeProxy: false
  ccm: null
  csi: null
  metricsServer: null
  konnectivity: { enabled: false }
`,
  'clusteraddon.yaml': `apiVersion: clusteraddonconfig.x-k8s.io/v1alpha1
clusterAddonVersion: clusteraddons.clusterstack.x-k8s.io/v1alpha1
addonStages:
  AfterControlPlaneInitialized:
    - name: cni
      action: apply
`,
  'cluster-class/Chart.yaml': 'apiVersion: v2\nname: docker-kpr-1-32-cluster-class\nversion: v1\n',
  'cluster-class/templates/cluster-class.yaml': 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: ClusterClass\nmetadata:\n  name: {{ .Release.Name }}\nspec: {}\n',
  'cluster-addon/cni/Chart.yaml': 'apiVersion: v2\nname: cni\nversion: v1\ndependencies:\n  - name: cilium\n    version: 1.17.4\n    repository: https://helm.cilium.io/\n',
};

describe('a stack on disk', () => {
  const tmp = fs.mkdtemp(path.join(os.tmpdir(), 'csp-constraints-'));
  afterAll(async () => fs.rm(await tmp, { recursive: true, force: true }));

  it('reports Cilium kube-proxy replacement on a kernel 5.4 image with both stack.yaml places', async () => {
    const root = await tmp;
    const dir = path.join(root, 'docker', 'kpr');
    for (const [rel, text] of Object.entries(STACK_FILES)) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), text);
    }
    const stack = await load(dir, root);
    const result = checkCompatibility(stack);
    expect(result.skipped).toEqual([]);
    expect(result.issues).toEqual([
      {
        severity: 'error',
        code: 'RULE_KUBE_PROXY_REPLACEMENT_KERNEL',
        rule: 'kube-proxy-replacement-kernel',
        message: 'Cilium kube-proxy replacement needs Linux kernel >= 5.10, but the node image may ship kernel 5.4',
        hint: expect.stringContaining('nodeImage.kernel.minimum to 5.10'),
        location: { file: 'docker/kpr/stack.yaml', line: 9, column: 14 },
        related: [{ file: 'docker/kpr/stack.yaml', line: 25, column: 27 }],
      },
    ]);
  });
});
