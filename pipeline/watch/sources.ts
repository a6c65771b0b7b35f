/** The literal registry of watch sources: one implementation per kind, nothing loaded by name. */
import { githubReleasesSource } from './sources/github-releases.js';
import { helmSource } from './sources/helm.js';
import { kubernetesSource } from './sources/kubernetes.js';
import { nodeImageSource } from './sources/node-image.js';
import { ociSource } from './sources/oci.js';
import type { Candidate, SourceContext, SourceKind, SourceQuery, WatchSource } from './types.js';

export const SOURCES: { [K in SourceKind]: WatchSource<K> } = {
  kubernetes: kubernetesSource,
  helm: helmSource,
  oci: ociSource,
  github: githubReleasesSource,
  'node-image': nodeImageSource,
};

/** Asks the source of the query's kind. */
export function listVersions(query: SourceQuery, ctx: SourceContext): Promise<Candidate[]> {
  const source = SOURCES[query.kind] as WatchSource;
  return source.list(query as never, ctx);
}

/** The query's description for reports. */
export function describeQuery(query: SourceQuery): string {
  return (SOURCES[query.kind] as WatchSource).describe(query as never);
}

/** The source query for a chart dependency (Helm index, OCI repository, or the policy's OCI override). */
export function chartQuery(repository: string, chart: string, oci: string | undefined): SourceQuery {
  if (oci) return { kind: 'oci', repository: oci };
  if (repository.startsWith('oci://')) return { kind: 'oci', repository: `${repository.replace(/\/$/, '')}/${chart}` };
  return { kind: 'helm', repository: repository.endsWith('/') ? repository : `${repository}/`, chart };
}
