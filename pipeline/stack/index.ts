/** Stage `stack`: load and check stack folders into the Stack model. */
export { loadStack, showPath, type LoadStackOptions, type LoadStackResult } from './load-stack.js';
export { discoverStacks } from './discover.js';
export { byteOrder } from './walk.js';
export { where } from './locations.js';
export { archiveChartMeta } from './load-chart.js';
export { SCS_CHART_ALIASES } from './targets.js';
export type * from './types.js';
export { readArchiveEntry } from './archive-entry.js';
export { matchesKubernetes } from './match-kubernetes.js';
