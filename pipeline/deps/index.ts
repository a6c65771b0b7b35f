/** Stage `deps`: resolve addon chart dependencies into the local content-addressed chart cache. */
export { planChartRequests, applyMirrors, normalizeRepo, type ChartRequest } from './plan.js';
export { fetchCharts, type FetchChartsInput, type FetchChartsResult, type FetchedChart } from './fetch-charts.js';
