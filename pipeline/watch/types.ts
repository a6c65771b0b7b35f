/**
 * The watch stage's data: what a source answers (candidate versions), what the policy decided per
 * component, and the report `csp upstream check` prints. Plain JSON-serialisable data.
 */
import type { Location } from '../core/errors.js';
import type { Fetcher } from './fetcher.js';

/** Kinds of upstream source; one implementation file each, listed in sources.ts. */
export type SourceKind = 'kubernetes' | 'helm' | 'oci' | 'github' | 'node-image';

/** One version an upstream offers, with what the policy needs to judge it. */
export interface Candidate {
  /** Version without a leading 'v' (1.32.14, 1.17.7). */
  version: string;
  /** The tag or name as upstream spells it (v1.32.14). */
  tag?: string;
  prerelease?: boolean;
  /** Helm index `removed: true`, GitHub draft. */
  removed?: boolean;
  /** ISO date upstream says it was published (for minimumReleaseAge). */
  published?: string;
  /** `sha256:<hex>` of a chart archive or node image. */
  digest?: string;
  /** Chart.yaml kubeVersion constraint of a chart version. */
  kubeVersion?: string;
  /** Where to read about it (release page, changelog). */
  link?: string;
  /** Download URL (node images). */
  url?: string;
}

export type SourceQuery =
  | { kind: 'kubernetes'; minor: string }
  | { kind: 'helm'; repository: string; chart: string }
  | { kind: 'oci'; repository: string }
  | { kind: 'github'; repo: string }
  | { kind: 'node-image'; url: string };

/** Everything a source may use; built once per run. */
export interface SourceContext {
  fetcher: Fetcher;
  /** GitHub REST base (GITHUB_API_URL in Actions). */
  githubApi: string;
  githubToken?: string;
  /** Longest wait for a rate-limit reset before giving up (ms). */
  maxRateLimitWaitMs: number;
  /** Repository URL → every chart name wanted from it, so each index.yaml is read once per run. */
  helmCharts: Record<string, string[]>;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** One upstream source implementation. */
export interface WatchSource<K extends SourceKind = SourceKind> {
  kind: K;
  /** Human name of the queried thing, for reports and errors. */
  describe(query: Extract<SourceQuery, { kind: K }>): string;
  /** All versions upstream offers for the query (unfiltered: the policy decides). */
  list(query: Extract<SourceQuery, { kind: K }>, ctx: SourceContext): Promise<Candidate[]>;
}

/** Why the policy did not take a version. */
export type RejectReason =
  | 'pre-release'
  | 'removed'
  | 'too-new'
  | 'outside-range'
  | 'kube-version-mismatch'
  | 'no-node-image'
  | 'ignored'
  | 'not-semver'
  | 'end-of-life'
  | 'new-minor-needs-review';

export interface Rejection {
  version: string;
  reason: RejectReason;
  detail: string;
}

/** Where a component's version is written in the stack. */
export type ComponentKind = 'kubernetes' | 'chart' | 'node-image';

/** The decision for one component of one target. */
export interface ComponentDecision {
  kind: ComponentKind;
  /** kubernetes, a chart's dependency name, or node-image. */
  name: string;
  source: string;
  current: string;
  /** Newest version the policy allows (may equal current). */
  allowed: string;
  /** Newest version upstream offers at all. */
  newest?: string;
  /** Versions newer than `allowed` and why each was not taken (newest first, at most 10). */
  rejected: Rejection[];
  /** Chart archive digest of `allowed` (Chart.lock), node-image sha256, image URL. */
  digest?: string;
  url?: string;
  link?: string;
  location?: Location;
}

/** One stack line `<provider>/<stack>/<minor>` and what moves in it. */
export interface TargetReport {
  line: string;
  minor: string;
  kubernetes: string;
  components: ComponentDecision[];
  /** true when some component moves. */
  update: boolean;
  /** A new minor that only a person may add (reported, never applied by bump; pr opens a draft). */
  proposal?: boolean;
  /** A proposal missing a coupled chart version: reported, no PR. */
  incomplete?: boolean;
}

export interface StackReport {
  stack: string;
  dir: string;
  provider: string;
  name: string;
  targets: TargetReport[];
  notes: string[];
}

export interface FetchStats {
  requests: number;
  /** Requests sent with If-None-Match / If-Modified-Since. */
  conditional: number;
  /** Answered 304. */
  notModified: number;
  bytes: number;
}

export interface CheckResult {
  stacks: StackReport[];
  /** true when any target has an update. */
  updates: boolean;
  stats: FetchStats;
}
