/** Stage `watch`: notice upstream releases, decide by each stack's policy, edit the stack files in place, open pull requests. */
export { checkUpstream, type CheckUpstreamInput, type WatchDeps } from './run-check.js';
export { bumpUpstream, type BumpUpstreamInput, type BumpResult, type StackBump } from './bump.js';
export { openPullRequests, type PullRequestInput, type PullRequestResult, type PullRequestDeps, type LinePullRequest } from './pull-requests.js';
export type { CheckResult, StackReport, TargetReport, ComponentDecision, Rejection, FetchStats } from './types.js';
export { DL_K8S_IO } from './sources/kubernetes.js';
