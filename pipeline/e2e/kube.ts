/**
 * The Kubernetes API seam of the e2e stage: a small client over @kubernetes/client-node (create, get, list,
 * delete, pod logs) built from a kubeconfig. The runner gets a factory, so tests point it at a loopback fake.
 */
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { UpstreamError } from '../core/errors.js';

type Obj = Record<string, unknown>;

/** What the runner does with a cluster's API. Objects are plain JSON. */
export interface KubeClient {
  server: string;
  /** Creates an object; an existing one with the same name is returned as it is (re-runs are idempotent). */
  create(object: Obj): Promise<Obj>;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Obj | undefined>;
  list(apiVersion: string, kind: string, namespace?: string): Promise<Obj[]>;
  /** Deletes an object; a missing one is fine. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void>;
  podLog(namespace: string, name: string, container?: string): Promise<string>;
  /**
   * Watches a kind (in a namespace or all); `onEvent` is called for every ADDED/MODIFIED/DELETED event. Returns a
   * stop function. Waits use it to re-check at once instead of at the next poll; a failed watch only costs speed.
   */
  watch(apiVersion: string, kind: string, namespace: string | undefined, onEvent: () => void): Promise<() => void>;
}

/** Opens a kubeconfig (YAML text) with the client library. */
export type KubeFactory = (kubeconfig: string) => KubeClient;

/** The real factory: @kubernetes/client-node's KubernetesObjectApi and CoreV1Api. */
export const createKubeClient: KubeFactory = (kubeconfig) => {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const server = kc.getCurrentCluster()?.server ?? 'unknown';
  const header = (apiVersion: string, kind: string, namespace: string | undefined, name: string) => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
  const plain = (o: unknown): Obj => JSON.parse(JSON.stringify(o)) as Obj;
  const fail = (what: string, error: unknown): never => {
    const code = error instanceof ApiException ? error.code : undefined;
    throw new UpstreamError('E2E_API_FAILED', `${what} failed${code ? ` (HTTP ${code})` : ''}: ${error instanceof ApiException ? String(error.body).slice(0, 300) : (error as Error).message}`, {
      url: server, ...(code ? { status: code } : {}), retriable: code === undefined || code >= 500, cause: error,
    });
  };
  const notFound = (error: unknown) => error instanceof ApiException && error.code === 404;
  return {
    server,
    async create(object) {
      try {
        return plain(await objects.create(object as unknown as KubernetesObject));
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) {
          const m = object.metadata as { name: string; namespace?: string };
          return plain(await objects.read(header(String(object.apiVersion), String(object.kind), m.namespace, m.name)));
        }
        return fail(`create ${String(object.kind)} ${(object.metadata as { name?: string }).name ?? ''}`, error);
      }
    },
    async get(apiVersion, kind, namespace, name) {
      try {
        return plain(await objects.read(header(apiVersion, kind, namespace, name)));
      } catch (error) {
        if (notFound(error)) return undefined;
        return fail(`get ${kind} ${name}`, error);
      }
    },
    async list(apiVersion, kind, namespace) {
      try {
        return (await objects.list(apiVersion, kind, namespace)).items.map(plain);
      } catch (error) {
        return fail(`list ${kind}`, error);
      }
    },
    async delete(apiVersion, kind, namespace, name) {
      try {
        await objects.delete(header(apiVersion, kind, namespace, name));
      } catch (error) {
        if (!notFound(error)) fail(`delete ${kind} ${name}`, error);
      }
    },
    async watch(apiVersion, kind, namespace, onEvent) {
      const slash = apiVersion.lastIndexOf('/');
      const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
      let list;
      try {
        list = group ? await kc.makeApiClient(CustomObjectsApi).getAPIResources({ group, version }) : await core.getAPIResources();
      } catch (error) {
        return fail(`discovery of ${apiVersion}`, error);
      }
      const resource = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
      if (!resource) throw new UpstreamError('E2E_API_FAILED', `${server} does not serve ${apiVersion} ${kind}`, { url: server });
      const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
      const watchPath = `${base}${namespace && resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${resource.name}`;
      const controller = await new Watch(kc).watch(watchPath, {}, (phase) => {
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') onEvent();
      }, () => undefined);
      return () => controller.abort();
    },
    async podLog(namespace, name, container) {
      try {
        return await core.readNamespacedPodLog({ name, namespace, ...(container ? { container } : {}), tailLines: 2000 });
      } catch (error) {
        return fail(`log of pod ${namespace}/${name}`, error);
      }
    },
  };
};
