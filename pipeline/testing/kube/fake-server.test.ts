/**
 * The fake API server checks what it is sent and what it answers against the Kubernetes 1.32 OpenAPI document and
 * the CRDs: valid client-node traffic passes; a body with an unknown field, an unknown path or query parameter,
 * and an invalid object a controller stores are all recorded as violations (and the request answered 400).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '../../e2e/index.js';
import { UpstreamError } from '../../core/errors.js';
import { startFakeKubeApi, type FakeKubeApi } from './fake-server.js';
import { node } from './objects.js';

let fake: FakeKubeApi;
let client: KubeClient;

beforeAll(async () => {
  fake = await startFakeKubeApi();
  client = createKubeClient(fake.kubeconfig());
  return () => fake.close();
}, 60_000);

const cluster = (topology: Record<string, unknown>) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'demo', namespace: 'cluster' },
  spec: { topology: { class: 'docker-scs-1-32-v1', version: 'v1.32.5', ...topology } },
});

describe('loopback Kubernetes API fake', () => {
  it('serves client-node create, get, list and delete without a violation', async () => {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cluster' } });
    const created = await client.create(cluster({}));
    expect(created.metadata).toMatchObject({ name: 'demo', namespace: 'cluster', uid: expect.any(String) });
    expect(await client.get('cluster.x-k8s.io/v1beta1', 'Cluster', 'cluster', 'demo')).toMatchObject({ spec: { topology: { class: 'docker-scs-1-32-v1' } } });
    fake.put(node('n1', 'v1.32.5'));
    expect((await client.list('v1', 'Node')).map((n) => (n.metadata as { name: string }).name)).toEqual(['n1']);
    await client.delete('cluster.x-k8s.io/v1beta1', 'Cluster', 'cluster', 'demo');
    expect(await client.get('cluster.x-k8s.io/v1beta1', 'Cluster', 'cluster', 'demo')).toBeUndefined();
    expect(fake.violations).toEqual([]);
  });

  it('rejects and records a request body that violates the CRD schema', async () => {
    const before = fake.violations.length;
    const error = await client.create(cluster({ klass: 'typo' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(400);
    expect(fake.violations.slice(before)).toEqual([expect.stringMatching(/POST \/apis\/cluster\.x-k8s\.io\/v1beta1\/namespaces\/\{namespace\}\/clusters body: Cluster \/spec\/topology must NOT have additional properties \(klass\)/)]);
  });

  it('rejects and records a core-kind body that violates the OpenAPI document', async () => {
    const before = fake.violations.length;
    await expect(client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'cluster' }, data: { a: 1 } })).rejects.toThrow(/HTTP 400/);
    expect(fake.violations.slice(before).join('\n')).toMatch(/ConfigMap \/data\/a must be string/);
  });

  it('records an unknown path and an unknown query parameter', async () => {
    const before = fake.violations.length;
    expect((await fetch(`${fake.url}/api/v1/nodez`)).status).toBe(400);
    expect((await fetch(`${fake.url}/api/v1/nodes?labelSelektor=a`)).status).toBe(400);
    expect(fake.violations.slice(before)).toEqual([
      'GET /api/v1/nodez is not an operation of the Kubernetes 1.32 API or a served CRD',
      'GET /api/v1/nodes: unknown query parameter labelSelektor',
    ]);
  });

  it('records an invalid object a controller stores (responses are checked too)', () => {
    const before = fake.violations.length;
    fake.put({ ...node('n2', 'v1.32.5'), status: { ready: true } });
    expect(fake.violations.slice(before)).toEqual(['controller put: Node /status must NOT have additional properties (ready)']);
  });
});
