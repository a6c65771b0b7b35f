/**
 * The error every template failure throws: parse errors, execution errors and unknown template names.
 * `message` is exactly Go's error text, so Helm-style callers can print or wrap it unchanged.
 */
import { UserInputError } from '../../core/errors.js';
import type { Location } from '../../core/errors.js';

export type TemplateErrorCode = 'TEMPLATE_PARSE_ERROR' | 'TEMPLATE_EXEC_ERROR' | 'TEMPLATE_NOT_FOUND';

const HINTS: Record<TemplateErrorCode, string> = {
  TEMPLATE_PARSE_ERROR: 'Fix the template syntax at the reported line (Go 1.19 text/template rules).',
  TEMPLATE_EXEC_ERROR: 'Check the values and functions the template uses at the reported line and column.',
  TEMPLATE_NOT_FOUND: 'Define the template (or parse its file) before executing it.',
};

/** A Go text/template error with Go's exact message and the template location. */
export class TemplateError extends UserInputError {
  constructor(code: TemplateErrorCode, message: string, location?: Location) {
    super(code, message, { details: HINTS[code], location });
  }
}
