/**
 * Small release assets, byte-for-byte reproducible: `metadata.yaml` (release-format.md §6), `hashes.json`
 * (§10, csctl's keys and layout) and `SHA256SUMS` (`<hex>  <name>` lines sorted by name).
 */
import { createHash } from 'node:crypto';
import { ValidationFailed, type Issue } from '../core/errors.js';
import { parseVersion } from '../version/index.js';

/** Versions written to `metadata.yaml`; all cluster-stack versions in dot form, kubernetes `vX.Y.Z`. */
export interface MetadataInput {
  clusterStack: string;
  kubernetes: string;
  clusterAddon: string;
  nodeImage: string;
}

/** The cleaned hashes csctl keeps in `hashes.json` plus csp's `clusterClassDir`. */
export interface HashesInput {
  clusterStack: string;
  clusterAddonDir: string;
  clusterAddonValues: string;
  clusterClassDir: string;
  nodeImageDir: string;
}

export const metadataApiVersion = 'metadata.clusterstack.x-k8s.io/v1alpha1';

function dotIssue(label: string, value: string): Issue[] {
  const parsed = parseVersion(value, 'dot');
  if (parsed) return [];
  return [
    {
      severity: 'error',
      code: 'METADATA_VERSION_INVALID',
      message: `${label} ${JSON.stringify(value)} is not a dot-form cluster-stack version`,
      hint: 'CSO parses it with ^v\\d+(-\\b\\w+\\b\\.\\w+)?$ (e.g. v2 or v0-sha.abc1234); an empty or dash-form value invalidates the release.',
    },
  ];
}

/** Builds `metadata.yaml`; throws ValidationFailed listing every bad field (CSO would reject the release). */
export function buildMetadataYaml(input: MetadataInput): string {
  const issues = [
    ...dotIssue('versions.clusterStack', input.clusterStack),
    ...dotIssue('versions.components.clusterAddon', input.clusterAddon),
    ...dotIssue('versions.components.nodeImage', input.nodeImage),
  ];
  if (!/^v\d+\.\d+\.\d+$/.test(input.kubernetes)) {
    issues.push({
      severity: 'error',
      code: 'METADATA_KUBERNETES_INVALID',
      message: `versions.kubernetes ${JSON.stringify(input.kubernetes)} is not vX.Y.Z`,
      hint: 'CSO demands Cluster.spec.topology.version to equal it; write the full patch version with a leading v, e.g. v1.34.2.',
    });
  }
  if (issues.length > 0) throw new ValidationFailed(issues, 'metadata.yaml would be rejected by CSO');
  return [
    `apiVersion: ${metadataApiVersion}`,
    'versions:',
    `  clusterStack: ${input.clusterStack}`,
    `  kubernetes: ${input.kubernetes}`,
    '  components:',
    `    clusterAddon: ${input.clusterAddon}`,
    `    nodeImage: ${input.nodeImage}`,
    '',
  ].join('\n');
}

/**
 * `hashes.json` as csctl writes it: two-space JSON, no trailing newline, keys in csctl's struct order,
 * `nodeImageDir` omitted when empty. `clusterClassDir` is extra (csctl's JSON reader ignores it).
 */
export function buildHashesJson(hashes: HashesInput): string {
  const out: Record<string, string> = {
    clusterStack: hashes.clusterStack,
    clusterAddonDir: hashes.clusterAddonDir,
    clusterAddonValues: hashes.clusterAddonValues,
    clusterClassDir: hashes.clusterClassDir,
  };
  if (hashes.nodeImageDir !== '') out.nodeImageDir = hashes.nodeImageDir;
  return JSON.stringify(out, null, 2);
}

/** `SHA256SUMS`: one `<hex>  <name>\n` line per file, sorted by name bytes (what `sha256sum -c` reads). */
export function buildSha256Sums(files: readonly { name: string; data: Uint8Array; stored?: { sha256: string } }[]): string {
  return [...files]
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
    .map((f) => `${f.stored ? f.stored.sha256 : createHash('sha256').update(f.data).digest('hex')}  ${f.name}\n`)
    .join('');
}
