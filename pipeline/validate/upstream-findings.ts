/**
 * Findings in upstream charts (templates of a chart's dependencies, `…/charts/<name>/templates/…`): we cannot
 * fix them, only override values or report them upstream. What the apiserver accepts anyway — an unknown
 * field, which it drops with a warning — is a warning; what it rejects (wrong type, missing required field,
 * invalid value or format) stays an error, because CSO's apply of the addon would fail.
 */
import type { RenderedObject } from './types.js';
import type { ValidationIssue } from './validate-objects.js';

const UPSTREAM_TEMPLATE = /(^|\/)charts\/[^/]+\/templates\//;

/** True for an object rendered from a dependency chart's template rather than from the stack's own files. */
export function isUpstreamObject(object: RenderedObject): boolean {
  return UPSTREAM_TEMPLATE.test(object.source.file);
}

/** Codes of findings the apiserver accepts (with a warning) in an object it creates. */
const ACCEPTED_BY_APISERVER = new Set(['SCHEMA_UNKNOWN_FIELD']);

/** Re-rates the schema issues of upstream objects as described above; issues of our own objects are unchanged. */
export function rateUpstreamFindings(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    if (issue.severity !== 'error' || !ACCEPTED_BY_APISERVER.has(issue.code)) return issue;
    return {
      ...issue,
      severity: 'warning',
      message: `upstream chart: ${issue.message} (the apiserver drops unknown fields with a warning)`,
      hint: 'The field is ignored in the cluster. Override the value that produces it in the addon\'s values, or report it to the chart\'s maintainers.',
    };
  });
}
