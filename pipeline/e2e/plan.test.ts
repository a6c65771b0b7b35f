/** The pure parts of the e2e stage: the Cluster from the seed, the ClusterStack, the CSO manifest, bundle names, reports. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/paths.js';
import { readBundle } from './bundle.js';
import { prepareCsoManifest } from './cso-manifest.js';
import { clusterFromExample, clusterStackFor, expectedNodes, planE2e } from './plan.js';
import { junitXml, markdownSummary } from './report.js';
import type { BundleUnderTest, E2eResult } from './types.js';

const seed = parse(await fs.readFile(path.join(repoRoot, 'stacks', 'cluster-example.yaml'), 'utf8')) as Record<string, unknown>;
const bundle = (version: string, provider = 'docker'): BundleUnderTest => ({
  releaseDir: '/out/x', releaseName: `${provider}-scs-1-32-${version}`, provider, stackName: 'scs', kubernetesMinor: '1-32', kubernetesVersion: 'v1.32.5', clusterStackVersion: version,
});

describe('plan', () => {
  it('changes only the class and the version of the seed Cluster', () => {
    const cluster = clusterFromExample(seed, bundle('v3'));
    const spec = structuredClone(seed.spec) as { topology: Record<string, unknown> };
    spec.topology.class = 'docker-scs-1-32-v3';
    spec.topology.version = 'v1.32.5';
    expect(cluster).toEqual({ ...seed, spec });
    expect((seed.spec as { topology: { class: string } }).topology.class).toBe('openstack-scs-1-32-v1');
    expect(expectedNodes(cluster)).toBe(5);
  });

  it.each([
    ['v3', 'stable'],
    ['v0-sha.hdl6pjy', 'custom'],
  ])('a ClusterStack for version %s uses channel %s and only that version', (version, channel) => {
    expect(clusterStackFor(bundle(version), 'cluster').spec).toEqual({ provider: 'docker', name: 'scs', kubernetesVersion: '1.32', channel, autoSubscribe: false, noProvider: true, versions: [version] });
  });

  it.each([
    [{ bundle: bundle('v1', 'openstack'), clusterExample: seed }, 'E2E_PROVIDER_UNSUPPORTED'],
    [{ bundle: bundle('v1'), clusterExample: { kind: 'Cluster', metadata: { name: 'x' }, spec: {} } }, 'E2E_CLUSTER_INVALID'],
  ])('refuses %#', (input, code) => {
    expect(() => planE2e({ ...input, workDir: '/w' })).toThrow(expect.objectContaining({ code }));
  });
});

describe('CSO manifest for local mode', () => {
  const manifest = [
    'apiVersion: v1', 'kind: Secret', 'metadata: {name: s, namespace: cso-system}', 'data:', '  git-provider: ${GIT_PROVIDER_B64:=""}', '  token: ${GIT_ACCESS_TOKEN_B64}', '---',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: cso-controller-manager, namespace: cso-system}',
    'spec: {template: {spec: {containers: [{name: manager, image: cso, args: [--local=false, --leader-elect]}]}}}',
  ].join('\n');
  it('fills placeholders and mounts the release folder with --local=true', () => {
    const [secret, deployment] = prepareCsoManifest(manifest, 'cso.yaml', 'docker-scs-1-32-v1', { GIT_ACCESS_TOKEN_B64: 'dG9r' }) as [{ data: Record<string, string> }, { spec: { template: { spec: { containers: { args: string[]; volumeMounts: unknown[] }[]; volumes: unknown[] } } } }];
    expect(secret.data).toEqual({ 'git-provider': '', token: 'dG9r' });
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0]!.args).toEqual(['--leader-elect', '--local=true']);
    expect(pod.containers[0]!.volumeMounts).toEqual([{ name: 'csp-bundle', mountPath: '/tmp/downloads/cluster-stacks/docker-scs-1-32-v1', readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: 'csp-bundle', hostPath: { path: '/csp-bundles/docker-scs-1-32-v1', type: 'Directory' } }]);
  });
  it.each([
    ['kind: Namespace\napiVersion: v1\nmetadata: {name: x}\n', /no cso-controller-manager Deployment/],
    ['a: [unclosed', /cso\.yaml: /],
    ['x'.repeat(5 * 1024 * 1024), /larger than/],
  ])('refuses %#', (text, message) => {
    expect(() => prepareCsoManifest(text, 'cso.yaml', 'r')).toThrow(message);
  });
});

describe('readBundle', () => {
  it.each([
    ['docker-scs-1-32-v0-sha.hdl6pjy', 'v0-sha.hdl6pjy', 'v1.32.5', null],
    ['docker-my-stack-1-32-v2', 'v2', 'v1.32.5', null],
    ['docker-scs-1-31-v2', 'v2', 'v1.32.5', /is for Kubernetes 1\.31 but metadata\.yaml says v1\.32\.5/],
    ['renamed', 'v2', 'v1.32.5', /is not named <provider>-<stack>-<major>-<minor>-v2/],
    ['docker-scs-1-32-v2', 'v2', '1.32', /no versions\.kubernetes/],
  ])('%s', async (name, version, kubernetes, error) => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'csp-bundle-')), name);
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'metadata.yaml'), `versions:\n  clusterStack: ${version}\n  kubernetes: ${kubernetes}\n`);
    const read = readBundle(dir);
    if (error) await expect(read).rejects.toThrow(error);
    else await expect(read).resolves.toMatchObject({ releaseName: name, provider: 'docker', clusterStackVersion: version, kubernetesMinor: '1-32' });
  });
});

describe('reports', () => {
  const result: E2eResult = {
    ok: false, bundle: bundle('v1'), versions: { kind: 'v0.29.0', nodeImage: 'kindest/node:v1.33.1', clusterApi: 'v1.14.0', capd: 'v1.14.0', cso: 'v0.1.0-alpha.7', sonobuoy: 'v0.57.3' },
    startedOn: '2026-01-01T00:00:00Z', finishedOn: '2026-01-01T00:01:00Z', failedPhase: 'checks', tornDown: true, diagnostics: [],
    steps: [{ id: 'kind-create', phase: 'management', status: 'ok', durationMs: 1500 }],
    checks: [{ id: 'network', name: 'pod-to-pod traffic across nodes and service DNS', status: 'failed', message: 'a <b> & "c" | d\u0007 ]]>' }],
  };
  it('escapes what servers and tools wrote, in XML and in Markdown tables', () => {
    const junit = junitXml(result);
    expect(junit).toContain('<failure type="check" message="a &lt;b&gt; &amp; &quot;c&quot; | d ]]&gt;"/>');
    expect(junit).not.toContain('\u0007');
    expect(markdownSummary(result)).toContain('| pod-to-pod traffic across nodes and service DNS | ❌ failed | a <b> & "c" \\| d\u0007 ]]> |');
  });
});
