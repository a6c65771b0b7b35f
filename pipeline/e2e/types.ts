/**
 * Data of the e2e stage: the plan (phases of steps, each a command or an API call), the check results and the
 * run result. Everything is plain JSON so the plan can be printed by --dry-run and the result attested.
 */

/** The phases of a run, in order; teardown is not a phase of the plan's main line, it always runs last. */
export type PhaseName = 'management' | 'stack' | 'cluster' | 'checks' | 'conformance';

/** A process the runner starts through `core/run` (kind, clusterctl, sonobuoy). */
export interface RunAction {
  kind: 'run';
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** A Kubernetes API call or wait the runner makes with @kubernetes/client-node. */
export interface ApiAction {
  kind: 'api';
  /** Which API server: the kind management cluster or the workload cluster created from the bundle. */
  cluster: 'management' | 'workload';
  /** What is sent or awaited, e.g. `POST clusterstack.x-k8s.io/v1alpha1 ClusterStack cluster/docker-scs-1-32`. */
  call: string;
}

/** One step of a phase. `id` selects the runner's handler (a literal table, nothing loaded by name). */
export interface Step {
  id: StepId;
  title: string;
  action: RunAction | ApiAction;
}

export type StepId =
  | 'kind-create' | 'clusterctl-init' | 'cso-install' | 'cso-ready'
  | 'clusterstack-apply' | 'clusterstackrelease-ready'
  | 'cluster-apply' | 'control-plane-ready' | 'workload-kubeconfig' | 'nodes-ready' | 'addons-ready'
  | 'probes-apply' | 'probes-ready' | 'checks-run'
  | 'sonobuoy-run'
  | 'diag-clusterctl-describe' | 'diag-events' | 'diag-controller-logs'
  | 'teardown-cluster-delete' | 'teardown-kind-delete';

/** A phase: its steps and its own time budget. */
export interface Phase {
  name: PhaseName;
  timeoutMs: number;
  steps: Step[];
}

/** The pinned tool and component versions of a run (recorded in the attestation). */
export interface E2eVersions {
  kind: string;
  nodeImage: string;
  clusterApi: string;
  capd: string;
  cso: string;
  /** sonobuoy, only when the conformance phase is on. */
  sonobuoy: string;
}

/** What is under test: read from the release folder's metadata.yaml and folder name. */
export interface BundleUnderTest {
  releaseDir: string;
  releaseName: string;
  provider: string;
  stackName: string;
  /** `1-32` */
  kubernetesMinor: string;
  /** `v1.32.5`, from metadata.yaml versions.kubernetes. */
  kubernetesVersion: string;
  /** `v1`, `v0-sha.abc1234` … */
  clusterStackVersion: string;
  /** Manifest digest in the build's OCI layout (the attestation subject), when known. */
  manifestDigest?: string;
}

/** The whole plan: decided before anything runs (pure), printed by --dry-run, executed by the runner. */
export interface E2ePlan {
  bundle: BundleUnderTest;
  provider: 'docker';
  clusterName: string;
  namespace: string;
  managementName: string;
  workDir: string;
  versions: E2eVersions;
  /** The Cluster object created from stacks/cluster-example.yaml (provider and stack name changed). */
  cluster: Record<string, unknown>;
  /** The ClusterStack object that makes CSO read the bundle. */
  clusterStack: Record<string, unknown>;
  phases: Phase[];
  /** Steps run when a phase fails (output kept in workDir/diagnostics). */
  diagnostics: Step[];
  /** Steps that always run at the end (also after SIGINT/SIGTERM), unless keep. */
  teardown: Step[];
  keep: boolean;
}

/** Outcome of one check. `skipped` carries the reason the check does not apply to this provider. */
export interface CheckResult {
  id: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or why it does not apply. */
  message: string;
}

/** What happened to one step. */
export interface StepRecord {
  id: StepId;
  phase: PhaseName | 'diagnostics' | 'teardown';
  status: 'ok' | 'failed' | 'timeout' | 'skipped' | 'aborted';
  durationMs: number;
  message?: string;
}

/** Result of a run (also the predicate body of the e2e attestation). */
export interface E2eResult {
  ok: boolean;
  bundle: BundleUnderTest;
  versions: E2eVersions;
  startedOn: string;
  finishedOn: string;
  /** The phase that failed or timed out, if any. */
  failedPhase?: PhaseName;
  /** Set when SIGINT/SIGTERM stopped the run. */
  aborted?: string;
  steps: StepRecord[];
  checks: CheckResult[];
  /** Files written under workDir/diagnostics. */
  diagnostics: string[];
  tornDown: boolean;
}
