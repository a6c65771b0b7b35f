/**
 * Release names (`P-N-MA-MI-<version dash>`) and ClusterClass names (`P-N-MA-MI-<version dot>`) as CSO
 * builds and parses them (release-format.md §1; cluster-stack-operator pkg/clusterstack/clusterstack.go).
 */
import type { Issue } from '../core/errors.js';
import { formatVersion, parseVersion, validateVersion, type CsVersion } from './versions.js';

/** Kubernetes major.minor of a stack, as in `1-34`. */
export interface KubernetesMinor {
  major: number;
  minor: number;
}

/** The parts of a release name. */
export interface ReleaseName {
  provider: string;
  name: string;
  kubernetes: KubernetesMinor;
  version: CsVersion;
}

/** Input for building names: version in dot form, Kubernetes as `1.34`, `v1.34` or `v1.34.2`. */
export interface ReleaseNameInput {
  provider: string;
  name: string;
  kubernetesVersion: string;
  version: string;
}

/** Helm's release-name length limit; parts 1–4 are the Helm release name of the cluster-class chart. */
export const helmReleaseNameMax = 53;
/** OCI distribution tag limit (`[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`); the release name is the OCI tag. */
export const ociTagMax = 128;

const lowerAlnum = /^[a-z0-9]+$/;

/** Parses `1.34`, `v1.34`, `1.34.2` or `v1.34.2` into major and minor; undefined otherwise. */
export function parseKubernetesMinor(text: string): KubernetesMinor | undefined {
  const m = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** `P-N-MA-MI`: provider, stack name and Kubernetes minor; the Helm release name of the cluster-class chart. */
export function formatReleasePrefix(provider: string, name: string, kubernetes: KubernetesMinor): string {
  return `${provider}-${name}-${kubernetes.major}-${kubernetes.minor}`;
}

/** The release name (tag, CSR name, OCI tag): prefix + version in dash form. */
export function formatReleaseName(release: ReleaseName): string {
  return `${formatReleasePrefix(release.provider, release.name, release.kubernetes)}-${formatVersion(release.version, 'dash')}`;
}

/** The ClusterClass name CSO expects: prefix + version in dot form (`{{ .Release.Name }}-{{ .Chart.Version }}`). */
export function formatClusterClassName(release: ReleaseName): string {
  return `${formatReleasePrefix(release.provider, release.name, release.kubernetes)}-${formatVersion(release.version, 'dot')}`;
}

/** Go `strconv.Atoi` on a short decimal: optional sign, digits. */
function atoi(text: string): number | undefined {
  return /^[+-]?\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function parseName(text: string, counts: [number, number], form: 'dash' | 'dot'): ReleaseName | undefined {
  const parts = text.split('-');
  if (parts.length !== counts[0] && parts.length !== counts[1]) return undefined;
  const [provider = '', name = '', ma = '', mi = ''] = parts;
  if (!provider || !name) return undefined;
  const major = atoi(ma);
  const minor = atoi(mi);
  if (major === undefined || minor === undefined || major < 0 || minor < 0) return undefined;
  const version = parseVersion(parts.slice(4).join('-'), form);
  return version && { provider, name, kubernetes: { major, minor }, version };
}

/** CSO `NewFromClusterStackReleaseProperties`: 5 or 7 dash parts; undefined when CSO would reject the name. */
export function parseReleaseName(text: string): ReleaseName | undefined {
  return parseName(text, [5, 7], 'dash');
}

/** CSO `NewFromClusterClassProperties`: 5 or 6 dash parts with a dot-form version. */
export function parseClusterClassName(text: string): ReleaseName | undefined {
  return parseName(text, [5, 6], 'dot');
}

/** Every problem with the parts of a release name, as Issues (codes RELEASE_NAME_*, VERSION_*). */
export function validateReleaseName(input: ReleaseNameInput): Issue[] {
  const issues: Issue[] = [];
  for (const [label, value] of [
    ['provider', input.provider],
    ['stack name', input.name],
  ] as const) {
    if (!lowerAlnum.test(value)) {
      issues.push({
        severity: 'error',
        code: 'RELEASE_NAME_PART_INVALID',
        message: `${label} ${JSON.stringify(value)} must be non-empty lowercase [a-z0-9]`,
        hint: value.includes('-')
          ? `CSO splits release names on "-"; remove the dash (e.g. ${JSON.stringify(value.replace(/-/g, ''))}).`
          : 'Release names are Kubernetes object names and are split on "-": use lowercase letters and digits only.',
      });
    }
  }
  const kubernetes = parseKubernetesMinor(input.kubernetesVersion);
  if (!kubernetes) {
    issues.push({
      severity: 'error',
      code: 'RELEASE_NAME_KUBERNETES_INVALID',
      message: `Kubernetes version ${JSON.stringify(input.kubernetesVersion)} is not MAJOR.MINOR[.PATCH]`,
      hint: 'Write it as 1.34 or v1.34.2; the release name carries it as 1-34.',
    });
  }
  const versionIssues = validateVersion(input.version, 'dot', 'cluster-stack version');
  issues.push(...versionIssues);
  if (issues.length > 0 || !kubernetes) return issues;

  const prefix = formatReleasePrefix(input.provider, input.name, kubernetes);
  if (prefix.length > helmReleaseNameMax) {
    issues.push({
      severity: 'error',
      code: 'RELEASE_NAME_TOO_LONG',
      message: `${prefix} is ${prefix.length} characters; Helm release names allow ${helmReleaseNameMax}`,
      hint: 'CSO renders the cluster-class chart with this Helm release name; shorten the provider or stack name.',
    });
  }
  const version = parseVersion(input.version, 'dot');
  const full = version && formatReleaseName({ provider: input.provider, name: input.name, kubernetes, version });
  if (full && full.length > ociTagMax) {
    issues.push({
      severity: 'error',
      code: 'RELEASE_NAME_TOO_LONG',
      message: `release name ${full} is ${full.length} characters; OCI tags allow ${ociTagMax}`,
      hint: 'Shorten the version patch (hash versions use 7 characters).',
    });
  }
  return issues;
}

/** Names derived from one release; built only from input that `validateReleaseName` accepts. */
export interface ReleaseNames {
  releaseName: string;
  clusterClassName: string;
  prefix: string;
  /** Asset name of the cluster-class chart archive (§5): `P-N-MA-MI-cluster-class-<version dot>.tgz`. */
  clusterClassChart: string;
}

/** Builds the release, ClusterClass and chart names, or returns the issues that prevent it. */
export function buildReleaseNames(input: ReleaseNameInput): { names?: ReleaseNames; issues: Issue[] } {
  const issues = validateReleaseName(input);
  const kubernetes = parseKubernetesMinor(input.kubernetesVersion);
  const version = parseVersion(input.version, 'dot');
  if (issues.some((i) => i.severity === 'error') || !kubernetes || !version) return { issues };
  const release: ReleaseName = { provider: input.provider, name: input.name, kubernetes, version };
  const prefix = formatReleasePrefix(input.provider, input.name, kubernetes);
  return {
    issues,
    names: {
      releaseName: formatReleaseName(release),
      clusterClassName: formatClusterClassName(release),
      prefix,
      clusterClassChart: `${prefix}-cluster-class-${input.version}.tgz`,
    },
  };
}

/** Asset name of the cluster-addon archive (§5); its version comes from `components.clusterAddon`. */
export function clusterAddonArchiveName(prefix: string, clusterAddonVersion: string): string {
  return `${prefix}-cluster-addon-${clusterAddonVersion}.tgz`;
}
