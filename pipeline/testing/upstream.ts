/**
 * A loopback "upstream" for `csp upstream` tests: dl.k8s.io `stable-1.N.txt`, Helm chart repositories
 * (`index.yaml` from ../shared/fixtures/charts plus generated versions, in any order, with pre-releases
 * and `removed` entries, optionally huge) and OSISM-style node image `.CHECKSUM` files. Answers ETag /
 * If-None-Match with 304, and can fault (down, garbage) per path prefix.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { stringify } from 'yaml';

export interface ChartVersion {
  version: string;
  kubeVersion?: string;
  removed?: boolean;
  created?: string;
  digest?: string;
}

export interface UpstreamState {
  /** Minor (1.32) → body of stable-1.32.txt. */
  stable: Record<string, string>;
  /** Repository path (e.g. "cilium") → chart name → versions (served in the given order). */
  repos: Record<string, Record<string, ChartVersion[]>>;
  /** Image path (after /images/) → sha256 hex of its CHECKSUM file. */
  images: Record<string, string>;
  /** Path prefix → fault. */
  faults: Record<string, 'down' | 'garbage'>;
  /** Repository path → extra filler charts making the index about this many bytes. */
  bigIndex: Record<string, number>;
  /** Serve this repository's index as JSON. */
  jsonIndex: Record<string, boolean>;
  /** kubernetes/website data/releases/schedule.yaml body. */
  schedule: string;
}

export interface FakeUpstream {
  url: string;
  state: UpstreamState;
  /** Requests seen: "METHOD path status". */
  requests: string[];
  /** `--mirror` rules mapping the real upstream URLs of the stacks to this server. */
  mirrors(): Record<string, string>;
  close(): Promise<void>;
}

/** Real repository URLs of the charts in stacks/ and the SCS fixtures → repository path on the fake. */
export const REPO_PATHS: Record<string, string> = {
  'https://helm.cilium.io/': 'cilium',
  'https://kubernetes.github.io/cloud-provider-openstack/': 'cpo',
  'https://kubernetes-sigs.github.io/metrics-server/': 'metrics-server',
  'https://charts.hetzner.cloud/': 'hcloud',
};

export async function startUpstream(initial: Partial<UpstreamState> = {}): Promise<FakeUpstream> {
  const state: UpstreamState = { stable: {}, repos: {}, images: {}, faults: {}, bigIndex: {}, jsonIndex: {}, schedule: SCHEDULE, ...initial };
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    const answer = (status: number, body: string | Readable, headers: Record<string, string> = {}): void => {
      requests.push(`${req.method} ${p} ${status}`);
      res.writeHead(status, headers);
      if (typeof body === 'string') res.end(body);
      else body.pipe(res);
    };
    const fault = Object.entries(state.faults).find(([prefix]) => p.startsWith(prefix))?.[1];
    if (fault === 'down') return answer(503, 'unavailable');
    if (fault === 'garbage') return answer(200, '<html>captive portal</html>', { 'content-type': 'text/html' });
    const conditional = (body: string, type: string): void => {
      const etag = `"${crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return answer(304, '', { etag });
      answer(200, body, { 'content-type': type, etag, 'last-modified': 'Mon, 01 Dec 2025 00:00:00 GMT' });
    };
    let m: RegExpExecArray | null;
    if (p === '/website/schedule.yaml') return conditional(state.schedule, 'text/plain');
    if ((m = /^\/release\/stable-(\d+\.\d+)\.txt$/.exec(p))) {
      const body = state.stable[m[1]!];
      return body === undefined ? answer(404, 'NoSuchKey') : conditional(body, 'text/plain');
    }
    if ((m = /^\/charts\/([^/]+)\/index\.yaml$/.exec(p))) {
      const repo = state.repos[m[1]!];
      if (!repo) return answer(404, 'not found');
      const big = state.bigIndex[m[1]!];
      if (big) return bigIndex(repo, big, req, answer);
      return conditional(indexText(repo, Boolean(state.jsonIndex[m[1]!])), 'application/x-yaml');
    }
    if ((m = /^\/images\/(.+)\.CHECKSUM$/.exec(p))) {
      const hash = state.images[m[1]!];
      return hash === undefined ? answer(404, 'NoSuchKey') : conditional(`${hash}  ${m[1]!.split('/').pop()}\n`, 'text/plain');
    }
    answer(404, 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    requests,
    mirrors: () => ({
      'https://dl.k8s.io/release/': `${url}/release/`,
      'https://raw.githubusercontent.com/kubernetes/website/main/data/releases/': `${url}/website/`,
      ...Object.fromEntries(Object.entries(REPO_PATHS).map(([from, to]) => [from, `${url}/charts/${to}/`])),
      'https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/openstack-k8s-capi-images/': `${url}/images/`,
    }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The shape of kubernetes/website data/releases/schedule.yaml (dates as published for these minors). */
export const SCHEDULE = `schedules:
- endOfLifeDate: "2026-10-28"
  maintenanceModeStartDate: "2026-08-28"
  next:
    cherryPickDeadline: "2026-01-09"
    release: 1.34.4
    targetDate: "2026-01-13"
  release: "1.34"
  releaseDate: "2025-08-27"
- endOfLifeDate: "2026-06-28"
  release: "1.33"
  releaseDate: "2025-04-23"
- endOfLifeDate: "2026-02-28"
  release: "1.32"
  releaseDate: "2024-12-11"
  previousPatches:
  - release: 1.32.5
    targetDate: "2025-05-15"
- endOfLifeDate: "2025-10-28"
  release: "1.31"
  releaseDate: "2024-08-13"
upcoming_releases:
- cherryPickDeadline: "2026-01-09"
  targetDate: "2026-01-13"
`;

function entry(name: string, v: ChartVersion): Record<string, unknown> {
  return {
    apiVersion: 'v2',
    name,
    version: v.version,
    ...(v.kubeVersion ? { kubeVersion: v.kubeVersion } : {}),
    description: `${name} chart`,
    digest: v.digest ?? crypto.createHash('sha256').update(`${name}-${v.version}`).digest('hex'),
    urls: [`${name}-${v.version}.tgz`],
    created: v.created ?? '2025-11-01T00:00:00Z',
    ...(v.removed ? { removed: true } : {}),
  };
}

/** index.yaml (or JSON) as Helm writes it, entries in the order given. */
export function indexText(repo: Record<string, ChartVersion[]>, json = false): string {
  const entries = Object.fromEntries(Object.entries(repo).map(([name, versions]) => [name, versions.map((v) => entry(name, v))]));
  const doc = { apiVersion: 'v1', entries, generated: '2025-12-01T00:00:00Z' };
  return json ? JSON.stringify(doc) : stringify(doc);
}

/** Streams an index of about `bytes` bytes: filler charts first, the real ones last; never held in memory. */
function bigIndex(repo: Record<string, ChartVersion[]>, bytes: number, req: http.IncomingMessage, answer: (s: number, b: Readable, h?: Record<string, string>) => void): void {
  const etag = `"big-${bytes}-${Object.keys(repo).join(',')}"`;
  if (req.headers['if-none-match'] === etag) return answer(304, Readable.from([]), { etag });
  const real = stringify({ entries: Object.fromEntries(Object.entries(repo).map(([n, vs]) => [n, vs.map((v) => entry(n, v))])) }).replace(/^entries:\n/, '');
  async function* generate(): AsyncGenerator<string> {
    yield 'apiVersion: v1\nentries:\n';
    let sent = 0;
    for (let chart = 0; sent < bytes; chart++) {
      let block = `  filler-${chart}:\n`;
      for (let v = 0; v < 200; v++) {
        block += `  - apiVersion: v2\n    name: filler-${chart}\n    version: 1.${chart}.${v}\n    description: A generated chart that only makes the index large, as real ones are (bitnami, prometheus-community).\n    digest: ${'ab'.repeat(32)}\n    urls:\n    - https://example.invalid/filler-${chart}-1.${chart}.${v}.tgz\n    created: "2025-01-01T00:00:00Z"\n`;
      }
      sent += block.length;
      yield block;
    }
    yield real;
    yield 'generated: "2025-12-01T00:00:00Z"\n';
  }
  answer(200, Readable.from(generate()), { 'content-type': 'application/x-yaml', etag });
}
