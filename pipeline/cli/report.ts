/** Printing of issues and errors for every command (text, JSON and GitHub annotations). */
import { PipelineError, UserInputError, ValidationFailed, exitCodeOf, type Issue } from '../core/errors.js';
import { formatAnnotation, formatIssue, formatLocation } from '../core/log.js';
import type { CliContext } from './command.js';

/** Prints issues as `path:line:col CODE message` (+ hint), and as annotations inside GitHub Actions. */
export function printIssues(ctx: CliContext, issues: readonly Issue[]): void {
  const inActions = ctx.env.GITHUB_ACTIONS === 'true';
  for (const issue of issues) {
    if (!ctx.json) ctx.out(ctx.log.redact(formatIssue(issue)));
    if (inActions) ctx.out(ctx.log.redact(formatAnnotation(issue)));
  }
}

/** Counts by severity, for summaries. */
export function countIssues(issues: readonly Issue[]): { errors: number; warnings: number; notes: number } {
  return {
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
    notes: issues.filter((i) => i.severity === 'note').length,
  };
}

/** Prints a thrown error and returns the exit code (1 user, 2 tool/upstream, 3 internal). */
export function reportError(ctx: CliContext, error: unknown, verbose: boolean): number {
  const code = exitCodeOf(error);
  if (error instanceof ValidationFailed) {
    printIssues(ctx, error.issues);
    if (ctx.json) ctx.out(JSON.stringify({ ok: false, error: { code: error.code, message: error.message }, issues: error.issues }, null, 2));
    else ctx.err(ctx.log.redact(`csp: ${error.message}`));
    return code;
  }
  if (error instanceof PipelineError) {
    const where = error instanceof UserInputError ? formatLocation(error.location) : '';
    const line = `${where ? `${where} ` : ''}${error.code} ${error.message}`;
    if (ctx.json) {
      ctx.out(ctx.log.redact(JSON.stringify({ ok: false, error: { code: error.code, message: error.message, details: error.details, location: error instanceof UserInputError ? error.location : undefined } }, null, 2)));
    }
    ctx.err(ctx.log.redact(`csp: ${line}`));
    if (error.details) ctx.err(ctx.log.redact(`  hint: ${error.details}`));
    if (error instanceof UserInputError && ctx.env.GITHUB_ACTIONS === 'true') {
      ctx.out(ctx.log.redact(formatAnnotation(error.toIssue())));
    }
    if (verbose && error.cause) ctx.err(ctx.log.redact(`  cause: ${String((error.cause as Error).stack ?? error.cause)}`));
    return code;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (ctx.json) ctx.out(ctx.log.redact(JSON.stringify({ ok: false, error: { code: 'INTERNAL', message } }, null, 2)));
  ctx.err(ctx.log.redact(`csp: internal error (this is a bug, please report it): ${message}`));
  if (verbose && error instanceof Error && error.stack) ctx.err(ctx.log.redact(error.stack));
  return 3;
}
