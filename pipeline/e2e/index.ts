/**
 * Stage `e2e`: decide (planE2e, pure) then act (runE2e): a kind management cluster with Cluster API, CAPD and
 * CSO reading the bundle under test, a Cluster from the seed, SCS checks as pure functions over API objects,
 * diagnostics on failure, teardown always. Reports as JUnit and Markdown; the result is what gets attested.
 */
export { planE2e, clusterFromExample, clusterStackFor, kindConfig, type PlanE2eInput } from './plan.js';
export { runE2e } from './runner.js';
export { readBundle } from './bundle.js';
export { runChecks, PROVIDER_FACTS, type CheckInput, type KubeObject, type ProviderFacts } from './checks.js';
export { junitXml, markdownSummary } from './report.js';
export { createKubeClient, type KubeClient, type KubeFactory } from './kube.js';
export { formatPlan } from './format-plan.js';
export { PINNED_VERSIONS } from './versions.js';
export type { E2eDeps } from './steps.js';
export type { BundleUnderTest, CheckResult, E2ePlan, E2eResult, E2eVersions, Phase, PhaseName, Step, StepRecord } from './types.js';
