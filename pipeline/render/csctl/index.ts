/**
 * Stage part `render/csctl`: the two template layers around Helm that csctl and CSO apply —
 * csctl's `<< .Var >>` substitution (layer 1) and CSO's cluster-addon values templating (layer 3).
 */
export { CSCTL_END_TAG, CSCTL_START_TAG, csctlTags, isTextContent, parseCsctlTags, substituteCsctlTags, type CsctlTag, type CsctlVersions } from './fasttemplate.js';
export { renderCsoValues, toUnstructured, type CsoTemplateData, type CsoValuesResult } from './cso-values.js';
