/** Stage `release`: plan releases (versions, reasons, changed files) and build reproducible CSO bundles from a plan. */
export { planBuild, type PlanBuildDeps, type PlanBuildInput, type PlannedBuild } from './plan-targets.js';
export { buildBundles, type BuildBundlesInput, type BuildResult, type BuiltTarget } from './build-bundles.js';
export { BUILD_CHECKS, RELEASE_CHECKS, checkBeforeBuild, validateCheck, type BuildCheck, type CheckContext } from './checks.js';
export type { BuildPlan, Component, FileChanges, PreviousFinder, RemotePrevious, TargetPlan, VendoredChart } from './types.js';
export { channelFor, planRelease, targetKey, type PreviousInput, type ReleaseInput, type ReleaseInputs, type TargetInputs } from './plan-release.js';
export { gatherReleaseInputs } from './plan-targets.js';
