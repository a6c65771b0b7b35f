/**
 * Error classes shared by every stage. Each carries a stable UPPER_SNAKE `code`, a one-line message
 * and `details` that say how to fix it; the CLI maps the class to an exit code (1 user, 2 tool/upstream, 3 bug).
 */

/** Where a problem sits in a file a person wrote. Lines and columns are one-based. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export type Severity = 'error' | 'warning' | 'note';

/** One problem found by a check; checks return all of them instead of stopping at the first. */
export interface Issue {
  severity: Severity;
  code: string;
  message: string;
  /** How to fix it. */
  hint?: string;
  location?: Location;
  /** Other places involved (e.g. both sides of a cross-layer rule). */
  related?: Location[];
  /** Id of the rule that found it, when a rule engine did. */
  rule?: string;
}

export interface PipelineErrorOptions {
  details?: string;
  cause?: unknown;
}

/** Base of every error the pipeline throws on purpose. */
export class PipelineError extends Error {
  readonly code: string;
  readonly details?: string;
  readonly exitCode: number = 3;

  constructor(code: string, message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** A problem in stacks/, images/, config or command-line input: exit 1. */
export class UserInputError extends PipelineError {
  override readonly exitCode = 1;
  readonly location?: Location;

  constructor(code: string, message: string, options: PipelineErrorOptions & { location?: Location } = {}) {
    super(code, message, options);
    this.location = options.location;
  }

  /** The same problem as an Issue, so it can join a report of many. */
  toIssue(): Issue {
    return { severity: 'error', code: this.code, message: this.message, hint: this.details, location: this.location };
  }
}

/** Validation found problems; all of them are in `issues` (only `error` severity makes it fail). */
export class ValidationFailed extends UserInputError {
  readonly issues: Issue[];

  constructor(issues: Issue[], message?: string) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    super('VALIDATION_FAILED', message ?? `${errors} problem${errors === 1 ? '' : 's'} found`);
    this.issues = issues;
  }
}

/** An external program failed: exit 2. */
export class ToolError extends PipelineError {
  override readonly exitCode = 2;
  readonly tool: string;
  readonly args: string[];
  readonly toolExitCode?: number;
  readonly stderrTail?: string;

  constructor(
    code: string,
    message: string,
    info: { tool: string; args?: string[]; exitCode?: number; stderrTail?: string } & PipelineErrorOptions,
  ) {
    super(code, message, info);
    this.tool = info.tool;
    this.args = info.args ?? [];
    this.toolExitCode = info.exitCode;
    this.stderrTail = info.stderrTail;
  }
}

/** A remote service (registry, GitHub, chart repository) failed or answered nonsense: exit 2. */
export class UpstreamError extends PipelineError {
  override readonly exitCode = 2;
  readonly url: string;
  readonly status?: number;
  readonly retriable: boolean;

  constructor(
    code: string,
    message: string,
    info: { url: string; status?: number; retriable?: boolean } & PipelineErrorOptions,
  ) {
    super(code, message, info);
    this.url = info.url;
    this.status = info.status;
    this.retriable = info.retriable ?? false;
  }
}

/** "This is a bug": exit 3. */
export class InternalError extends PipelineError {
  override readonly exitCode = 3;
}

/** Exit code for any thrown value: our classes carry one, anything else is a bug (3). */
export function exitCodeOf(error: unknown): number {
  return error instanceof PipelineError ? error.exitCode : 3;
}

/** True when the issues contain at least one error (warnings and notes do not fail a run). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** Throws ValidationFailed when `issues` holds an error; returns the issues otherwise. */
export function failOnErrors(issues: Issue[], message?: string): Issue[] {
  if (hasErrors(issues)) throw new ValidationFailed(issues, message);
  return issues;
}
