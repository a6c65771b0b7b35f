/** Stage `render`: Helm-compatible chart rendering (Go templates, Sprig, Helm's functions) and cluster-stack rendering per Kubernetes target. */
export { clusterFromDocuments, renderStack, type RenderedStackTarget } from './stack/index.js';
export { csctlTags, isTextContent, parseCsctlTags, substituteCsctlTags, type CsoTemplateData } from './csctl/index.js';
export { filterShowOnly, formatHelmTemplate, loadChart, parseValuesYaml, renderChart, selectShowOnly, setFilePaths, setFileSource, type SetFileRead } from './helm/index.js';
export { hermeticSprigFuncs, sprigFuncs } from './funcs/sprig.js';
export { helmFuncs } from './funcs/helm-funcs.js';
export { parseYamlGo } from './funcs/helm-yaml.js';
export { createTemplateSet, type GoValue, type TemplateFunction, type TemplateSet } from './template/index.js';
export type { JsonObject, RenderedObject } from './stack/rendered.js';
