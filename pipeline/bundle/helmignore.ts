/**
 * `.helmignore` as Helm's directory loader applies it (helm/helm pkg/ignore/rules.go): Go `filepath.Match`
 * globs, first match wins, `/`-suffixed rules match directories only, and Helm's odd negation semantics.
 */
import { UserInputError } from '../core/errors.js';

interface Rule {
  raw: string;
  negate: boolean;
  mustDir: boolean;
  /** Whole relative path (rule has a `/`) or basename only. */
  whole: boolean;
  regex: RegExp;
}

/** A parsed rule set; `ignores` answers for one relative path. */
export interface HelmIgnore {
  rules: readonly Rule[];
}

/** Translates a Go `filepath.Match` pattern into an anchored RegExp; throws on a malformed pattern. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      i += 1;
      if (i >= pattern.length) throw badPattern(pattern);
      out += escapeRe(pattern[i] ?? '');
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls += '^';
        j += 1;
      }
      let first = true;
      while (j < pattern.length && (pattern[j] !== ']' || first)) {
        let ch = pattern[j] ?? '';
        if (ch === ']' && first) throw badPattern(pattern); // Go: empty class is malformed
        if (ch === '\\') {
          j += 1;
          ch = pattern[j] ?? '';
        }
        cls += ch === '-' && !first && pattern[j + 1] !== ']' ? '-' : escapeClass(ch);
        first = false;
        j += 1;
      }
      if (j >= pattern.length || first) throw badPattern(pattern);
      out += `[${cls}]`;
      i = j;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function escapeClass(c: string): string {
  return /[\\^\][-]/.test(c) ? `\\${c}` : c;
}

function badPattern(pattern: string): UserInputError {
  return new UserInputError('HELMIGNORE_BAD_PATTERN', `.helmignore pattern ${JSON.stringify(pattern)} is malformed`, {
    details: 'Use Go filepath.Match syntax: *, ?, [a-z], [^x], backslash escapes.',
    location: { file: '.helmignore' },
  });
}

/** Parses `.helmignore` text and appends Helm's default rule `templates/.?*`. */
export function parseHelmIgnore(text: string): HelmIgnore {
  const rules: Rule[] = [];
  for (const line of [...text.split(/\r?\n/), 'templates/.?*']) {
    let rule = line.trim();
    if (rule === '' || rule.startsWith('#')) continue;
    if (rule.includes('**')) {
      throw new UserInputError('HELMIGNORE_DOUBLE_STAR', `.helmignore pattern ${JSON.stringify(rule)} uses **`, {
        details: 'Helm does not support ** in .helmignore; list the directories instead.',
        location: { file: '.helmignore' },
      });
    }
    globToRegExp(rule); // Helm validates the raw rule, leading ! included
    const raw = rule;
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    const anchored = rule.startsWith('/');
    if (anchored) rule = rule.slice(1);
    rules.push({ raw, negate, mustDir, whole: anchored || rule.includes('/'), regex: globToRegExp(rule) });
  }
  return { rules };
}

/** Helm's `Rules.Ignore` for a relative `/` path (no trailing slash) that is or is not a directory. */
export function isIgnored(ignore: HelmIgnore, path: string, isDir: boolean): boolean {
  if (path === '' || path === '.' || path === './') return false;
  for (const rule of ignore.rules) {
    const subject = rule.whole ? path : (path.split('/').pop() ?? path);
    if (rule.negate) {
      // Helm: a negated rule ignores everything it does NOT match, and lets matches fall through.
      if (rule.mustDir && !isDir) return true;
      if (!rule.regex.test(subject)) return true;
      continue;
    }
    if (rule.mustDir && !isDir) continue;
    if (rule.regex.test(subject)) return true;
  }
  return false;
}

/** Filters a chart's file list like Helm's directory walk: an ignored directory hides everything below it. */
export function applyHelmIgnore<T extends { path: string }>(files: readonly T[], ignore: HelmIgnore): T[] {
  return files.filter((file) => {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      if (isIgnored(ignore, parts.slice(0, i).join('/'), true)) return false;
    }
    return !isIgnored(ignore, file.path, false);
  });
}
