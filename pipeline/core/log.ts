/**
 * Logging, issue printing and GitHub annotations, with redaction of every known secret (also in its
 * URL-encoded and base64 forms) before anything leaves the process.
 */
import type { Issue, Location } from './errors.js';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Registers a secret so it never appears in output. */
  addSecret(secret: string | undefined): void;
  redact(text: string): string;
}

export interface LogOptions {
  /** Where human-readable lines go (stderr by default; stdout is kept for results). */
  write?: (line: string) => void;
  verbose?: boolean;
  quiet?: boolean;
  secrets?: string[];
}

/** Creates the logger built once in cli/ and passed to stages as `deps.log`. */
export function createLog(options: LogOptions = {}): Log {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = new Set<string>();
  const log: Log = {
    addSecret(secret) {
      if (!secret || secret.length < 4) return;
      for (const form of secretForms(secret)) secrets.add(form);
    },
    redact(text) {
      return redactSecrets(text, secrets);
    },
    info(message) {
      if (!options.quiet) write(log.redact(message));
    },
    warn(message) {
      write(log.redact(`warning: ${message}`));
    },
    debug(message) {
      if (options.verbose) write(log.redact(`debug: ${message}`));
    },
  };
  for (const s of options.secrets ?? []) log.addSecret(s);
  return log;
}

// Letters, digits, `_` and `-` make up a word; a `.` only inside one (docker.io), not at a sentence end.
const BEFORE = '(?<![A-Za-z0-9_-]|[A-Za-z0-9_-]\\.)';
const AFTER = '(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_-])';
/** Secrets this long are replaced wherever they appear; shorter ones only as whole tokens. */
const ANYWHERE_LENGTH = 16;

/**
 * Replaces every known secret in `text` with `***`. A short secret (OCI_PASSWORD=docker) is replaced
 * only where it stands as a whole token — a value, a URL's password, a header — so correct output
 * that merely contains the same letters (a release named docker-scs-1-31-v1) is not rewritten.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (!out.includes(s)) continue;
    if (s.length >= ANYWHERE_LENGTH) out = out.split(s).join('***');
    else out = out.replace(new RegExp(`${BEFORE}${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${AFTER}`, 'g'), '***');
  }
  return out;
}

function secretForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
  return [...new Set(forms.filter((f) => f.length >= 4))];
}

/** `file:line:col` (as much as is known). */
export function formatLocation(location: Location | undefined): string {
  if (!location) return '';
  let out = location.file;
  if (location.line !== undefined) out += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) out += `:${location.column}`;
  return out;
}

/** One issue as people read it: `path:line:col CODE message` and an indented fix hint. */
export function formatIssue(issue: Issue): string {
  const where = formatLocation(issue.location);
  const head = `${where ? `${where} ` : ''}${issue.severity === 'error' ? '' : `${issue.severity}: `}${issue.code} ${issue.message}`;
  const lines = [head];
  for (const related of issue.related ?? []) lines.push(`  see ${formatLocation(related)}`);
  if (issue.hint) lines.push(`  hint: ${issue.hint.replace(/\n/g, '\n        ')}`);
  return lines.join('\n');
}

/** The GitHub Actions workflow command for an issue (`::error file=…,line=…::…`), escaped like @actions/core. */
export function formatAnnotation(issue: Issue): string {
  const command = issue.severity === 'error' ? 'error' : issue.severity === 'warning' ? 'warning' : 'notice';
  const props: string[] = [];
  if (issue.location?.file) props.push(`file=${escapeProperty(issue.location.file)}`);
  if (issue.location?.line !== undefined) props.push(`line=${issue.location.line}`);
  if (issue.location?.column !== undefined) props.push(`col=${issue.location.column}`);
  props.push(`title=${escapeProperty(issue.code)}`);
  const message = issue.hint ? `${issue.message}\n${issue.hint}` : issue.message;
  return `::${command} ${props.join(',')}::${escapeData(message)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
