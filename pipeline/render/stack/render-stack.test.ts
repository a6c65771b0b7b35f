import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../core/errors.js';
import { loadStack, type Stack } from '../../stack/index.js';
import { scsStacksDir } from '../../testing/paths.js';
import { targetHashVersion } from '../../version/index.js';
import { renderStack, type RenderedChart, type RenderStackOptions } from './index.js';
import { lineColumnAt } from './objects.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, '__fixtures__', name);
const NOW = new Date('2025-01-02T03:04:05Z');

async function load(dir: string): Promise<Stack> {
  const { stack, issues } = await loadStack(dir, { cwd: here });
  if (!stack) throw new Error(`cannot load ${dir}: ${JSON.stringify(issues)}`);
  return stack;
}

function docOf(chart: RenderedChart, kind: string, name?: string): Record<string, unknown> {
  const found = chart.objects.find((o) => o.doc.kind === kind && (name === undefined || (o.doc.metadata as { name?: string }).name === name));
  if (!found) throw new Error(`${chart.name} has no ${kind} ${name ?? ''}: ${chart.objects.map((o) => `${String(o.doc.kind)}/${String((o.doc.metadata as { name?: string })?.name)}`).join(', ')}`);
  return found.doc;
}

async function render(dir: string, options: RenderStackOptions = {}) {
  return renderStack(await load(dir), { now: NOW, seed: 'test', cwd: here, ...options });
}

describe('renderStack on a stack using every layer (fixture tags/)', () => {
  it.each([
    ['1.31', '1.31.9', 'docker-fixture-1-31'],
    ['1.32', '1.32.5', 'docker-fixture-1-32'],
  ])('Kubernetes %s: cluster-class as CSO names it, csctl tags substituted', async (minor, patch, prefix) => {
    const [target] = await render(fixture('tags'), { k8s: minor, version: 'v3' });
    expect(target).toMatchObject({ kubernetes: minor, kubernetesVersion: patch, version: 'v3', issues: [] });
    const cc = target!.clusterClass;
    expect(cc).toMatchObject({ name: 'cluster-class', releaseName: prefix, namespace: 'default', chartName: `${prefix}-cluster-class`, chartVersion: 'v3' });
    const clusterClass = docOf(cc, 'ClusterClass');
    expect(clusterClass.metadata).toEqual({
      name: `${prefix}-v3`,
      namespace: 'default',
      labels: { 'app.kubernetes.io/managed-by': 'Helm', 'csp.example/addon-version': 'v3' },
      annotations: { 'csp.example/class-version': 'v3' },
    });
    expect(docOf(cc, 'DockerClusterTemplate')).toMatchObject({ metadata: { name: `${prefix}-v3-cluster` }, spec: { template: { spec: { image: 'registry.example.com/node:v3' } } } });
  });

  it('objects carry the template path and point at their document in the rendered text', async () => {
    const [target] = await render(fixture('tags'), { k8s: '1.32', version: 'v3' });
    const cc = target!.clusterClass;
    expect(cc.objects).toHaveLength(2);
    expect(cc.objects.map((o) => [o.doc.kind, o.source.line])).toEqual([['ClusterClass', 1], ['DockerClusterTemplate', 17]]);
    for (const o of cc.objects) {
      expect(o.source.file).toBe('cluster-class/templates/cluster-class.yaml');
      expect(o.rendered?.file).toBe('cluster-class.yaml');
      expect(o.rendered?.text).toBe(cc.text);
      const offset = o.rendered?.offset ?? -1;
      expect(parseYaml(cc.text.slice(offset).split('\n---')[0] ?? '')).toEqual(o.doc);
      const { line } = lineColumnAt(cc.text, offset);
      expect(cc.text.split('\n')[line - 2]).toBe('# Source: docker-fixture-1-32-cluster-class/templates/cluster-class.yaml');
    }
  });

  it('addon: release cluster-addon in kube-system, CSO-templated overwrite.yaml, kube version of the target', async () => {
    const [target] = await render(fixture('tags'), { k8s: '1.31', version: 'v3' });
    const [greeter] = target!.addons;
    expect(greeter).toMatchObject({ name: 'greeter', releaseName: 'cluster-addon', namespace: 'kube-system', chartName: 'greeter', chartVersion: 'v1' });
    expect(docOf(greeter!, 'ConfigMap').data).toEqual({ release: 'cluster-addon', greeting: 'hello', cluster: 'csp-render', addonVersion: 'v3', kube: 'v1.31.9' });
    expect(greeter!.objects.map((o) => [o.doc.kind, o.source.file, o.rendered?.file])).toEqual([
      ['CustomResourceDefinition', 'cluster-addon/greeter/crds/greetings.yaml', 'cluster-addon/greeter.yaml'],
      ['ConfigMap', 'cluster-addon/greeter/templates/configmap.yaml', 'cluster-addon/greeter.yaml'],
    ]);
  });

  it('addon: CRDs are included raw and first, as with helm template --include-crds; cluster-class gets none', async () => {
    const [target] = await render(fixture('tags'), { k8s: '1.32', version: 'v3' });
    const text = target!.addons[0]!.text;
    expect(text.startsWith('---\n# Source: greeter/crds/greetings.yaml\n# CRDs are printed raw ({{ not templated }})')).toBe(true);
    expect(text.indexOf('# Source: greeter/crds/')).toBeLessThan(text.indexOf('# Source: greeter/templates/configmap.yaml'));
    expect(target!.clusterClass.objects.some((o) => o.doc.kind === 'CustomResourceDefinition')).toBe(false);
  });

  it('--values has the highest priority and a given Cluster feeds CSO templating', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-values-'));
    try {
      await fs.writeFile(path.join(dir, 'v.yaml'), 'greeting: servus\n');
      const cluster = { cluster: { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'prod-7' }, spec: {} } };
      const [target] = await render(fixture('tags'), { k8s: '1.32', version: 'v3', valuesFile: path.join(dir, 'v.yaml'), cluster, namespace: 'team-a' });
      expect(docOf(target!.addons[0]!, 'ConfigMap').data).toMatchObject({ greeting: 'servus', cluster: 'prod-7' });
      expect(docOf(target!.clusterClass, 'ClusterClass').metadata).toMatchObject({ namespace: 'team-a' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('without a version uses each target\'s hash-mode version from the version stage (as csp build --mode hash)', async () => {
    const stack = await load(fixture('tags'));
    const targets = await render(fixture('tags'));
    const expected = await Promise.all(stack.targets.map((t) => targetHashVersion(stack, t)));
    for (const v of expected) expect(v).toMatch(/^v0-sha\.[a-z0-9]{7}$/);
    // csctl.yaml names each target's Kubernetes version, so the per-target trees (and versions) differ.
    expect(new Set(expected).size).toBe(2);
    expect(targets.map((t) => t.version)).toEqual(expected);
    expect(targets.map((t) => t.clusterClass.chartVersion)).toEqual(expected);
    expect(docOf(targets[0]!.clusterClass, 'ClusterClass').metadata).toMatchObject({ name: `docker-fixture-1-31-${expected[0]}` });
  });

  it.each([
    [{ k8s: '1.29' }, 'RENDER_TARGET_UNKNOWN'],
    [{ k8s: 'latest' }, 'RENDER_TARGET_UNKNOWN'],
    [{ version: 'v1-beta-1' }, 'RENDER_VERSION_INVALID'],
    [{ version: '1.0.0' }, 'RENDER_VERSION_INVALID'],
    [{ valuesFile: '/nonexistent/values.yaml' }, 'RENDER_VALUES_FILE_MISSING'],
  ])('rejects %o with %s', async (options, code) => {
    await expect(render(fixture('tags'), options)).rejects.toMatchObject({ code });
  });
});

describe('renderStack on an old-convention stack (one umbrella chart, cluster-addon-values.yaml)', () => {
  it('renders cluster-addon/ as one chart with the CSO-templated values file', async () => {
    const [target] = await render(fixture('old-convention'), { version: 'v5' });
    expect(target!.issues).toEqual([]);
    const [umbrella] = target!.addons;
    expect(umbrella).toMatchObject({ name: 'cluster-addon', releaseName: 'cluster-addon', namespace: 'kube-system', chartName: 'docker-fixture-1-32-cluster-addon' });
    expect(docOf(umbrella!, 'ConfigMap').data).toEqual({ cluster: 'csp-render-docker-fixture-1-32-v5', chart: 'docker-fixture-1-32-cluster-addon-v1' });
    expect(umbrella!.objects[0]?.source.file).toBe('cluster-addon/templates/configmap.yaml');
  });
});

describe('renderStack errors point into the stack', () => {
  it.each([
    ['bad-template', 'HELM_TEMPLATE_PARSE_ERROR', 5, undefined],
    ['exec-error', 'HELM_TEMPLATE_FAILED', 6, 13],
  ])('%s: %s at cluster-class/templates/cluster-class.yaml:%i', async (name, code, line, column) => {
    const error = await render(fixture(name), { version: 'v1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    const issue = (error as ValidationFailed).issues[0];
    expect(issue).toMatchObject({ severity: 'error', code, location: { file: `__fixtures__/${name}/cluster-class/templates/cluster-class.yaml`, line } });
    if (column !== undefined) expect(issue?.location?.column).toBe(column);
    expect(issue?.message).not.toContain(os.tmpdir());
  });
});

describe('renderStack: csctl tag problems', () => {
  it('an unclosed << in a chart file is a positioned CSCTL_TAG_UNCLOSED issue', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-tags-'));
    try {
      await fs.cp(fixture('tags'), path.join(dir, 'tags'), { recursive: true });
      const file = path.join(dir, 'tags/cluster-class/templates/cluster-class.yaml');
      await fs.appendFile(file, '    note: << .ClusterClassVersion\n');
      const lines = (await fs.readFile(file, 'utf8')).split('\n').length - 1;
      const error = await render(path.join(dir, 'tags'), { k8s: '1.32', version: 'v1' }).catch((e: unknown) => e);
      expect((error as ValidationFailed).issues[0]).toMatchObject({ code: 'CSCTL_TAG_UNCLOSED', location: { line: lines, column: 11 } });
      expect((error as ValidationFailed).issues[0]?.location?.file).toMatch(/tags\/cluster-class\/templates\/cluster-class\.yaml$/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('renderStack on the SCS fixtures (vendored third-party charts)', () => {
  it('docker/scs: cluster-class and both addons (cilium, metrics-server); a seed makes renders repeat', async () => {
    const a = await render(path.join(scsStacksDir, 'docker/scs'), { version: 'v1' });
    const b = await render(path.join(scsStacksDir, 'docker/scs'), { version: 'v1' });
    expect(a).toHaveLength(1);
    const [t] = a;
    expect(t!.issues).toEqual([]);
    expect(t!.clusterClass.releaseName).toBe('docker-scs-1-30');
    expect(docOf(t!.clusterClass, 'ClusterClass').metadata).toMatchObject({ name: 'docker-scs-1-30-v1' });
    expect(t!.addons.map((x) => x.name)).toEqual(['cni', 'metrics-server']);
    expect(docOf(t!.addons[0]!, 'DaemonSet', 'cilium')).toBeDefined();
    expect(docOf(t!.addons[1]!, 'Deployment')).toMatchObject({ metadata: { namespace: 'kube-system' } });
    expect(t!.addons[0]!.objects.every((o) => o.source.file.startsWith('cluster-addon/cni/charts/cilium/templates/'))).toBe(true);
    expect(b[0]!.addons.map((x) => x.text)).toEqual(t!.addons.map((x) => x.text));
  }, 120_000);

  it('openstack/scs 1.32: OCCM, Cinder CSI and metrics-server get CSO-templated values', async () => {
    const [t] = await render(path.join(scsStacksDir, 'openstack/scs'), { k8s: '1.32', version: 'v2' });
    expect(t!.issues).toEqual([]);
    expect(t!.addons.map((x) => x.name)).toEqual(['ccm', 'cni', 'csi', 'metrics-server']);
    const ccm = docOf(t!.addons[0]!, 'DaemonSet') as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } };
    expect(ccm.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'CLUSTER_NAME', value: 'csp-render' });
    const ms = docOf(t!.addons[3]!, 'Deployment');
    expect((ms.metadata as { labels: Record<string, string> }).labels.domain).toBe('csp-render.example.invalid');
    expect(docOf(t!.clusterClass, 'ClusterClass').metadata).toMatchObject({ name: 'openstack-scs-1-32-v2' });
  }, 120_000);

  it('openstack/scs 1.30: charts versions.yaml pins but nobody vendored are reported, the cluster-class still renders', async () => {
    const [t] = await render(path.join(scsStacksDir, 'openstack/scs'), { k8s: '1.30', version: 'v2' });
    expect(t!.clusterClass.objects.length).toBeGreaterThan(0);
    expect(t!.issues.map((i) => [i.code, i.message.split(':')[0]])).toEqual([
      ['RENDER_DEPENDENCY_MISSING', 'cluster-addon/ccm'],
      ['RENDER_DEPENDENCY_MISSING', 'cluster-addon/csi'],
    ]);
    expect(t!.addons.map((x) => x.name)).toEqual(['cni', 'metrics-server']);
  }, 120_000);
});
