/**
 * `--set-file` inputs (helm/helm pkg/cli/values/options.go readFile): which paths an expression names, how
 * Helm treats each path (`-` is stdin, `http(s)://` and `oci://` go to a getter, anything else is read from
 * disk after net/url has accepted it), and the reader that hands the contents read by the CLI to strvals.
 */
import { goQuote } from '../template/index.js';
import type { GoMap } from '../template/values.js';
import { parseSetFileInto, StrvalsError } from './strvals.js';
import type { ValueReader } from './strvals.js';

/** The result of reading one `--set-file` path: its text, or the error Helm would report (Go's wording). */
export type SetFileRead = { content: string } | { error: string };

/** The paths `--set-file` expressions name, in order (stops at the first syntax error, as Helm would). */
export function setFilePaths(exprs: readonly string[]): string[] {
  const paths: string[] = [];
  for (const expr of exprs) {
    try {
      parseSetFileInto(expr, {} as GoMap, (p) => {
        paths.push(p);
        return '';
      });
    } catch (e) {
      if (e instanceof StrvalsError) break;
      throw e;
    }
  }
  return paths;
}

/** How readFile handles a path: stdin, a getter URL, an error from url.Parse, or a local file. */
export function setFileSource(filePath: string): { kind: 'stdin' | 'url' | 'file' } | { kind: 'error'; error: string } {
  if (filePath.trim() === '-') return { kind: 'stdin' };
  const bad = urlParseError(filePath);
  if (bad !== undefined) return { kind: 'error', error: `parse ${goQuote(filePath)}: ${bad}` };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(filePath)?.[1]?.toLowerCase();
  return { kind: scheme === 'http' || scheme === 'https' || scheme === 'oci' ? 'url' : 'file' };
}

/** The checks of net/url.Parse that a file path can fail (control bytes, a bare colon, bad % escapes). */
function urlParseError(raw: string): string | undefined {
  const hash = raw.indexOf('#');
  const main = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  if (Array.from(main).some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')) return 'net/url: invalid control character in URL';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(main);
  if (main.startsWith(':')) return 'missing protocol scheme';
  let rest = scheme ? main.slice(scheme[0].length) : main;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  // A scheme with a rootless rest is an opaque URL: its path is not unescaped.
  if (scheme && !rest.startsWith('/')) return badEscape(frag);
  if (!scheme && !rest.startsWith('/')) {
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) return 'first path segment in URL cannot contain colon';
  }
  return badEscape(rest) ?? badEscape(frag);
}

function badEscape(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && !/^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
  }
  return undefined;
}

/** The RunesValueReader over what the CLI read: a path it did not supply reads as a missing file. */
export function setFileReader(data: Record<string, SetFileRead>): ValueReader {
  return (p) => {
    const got = Object.hasOwn(data, p) ? data[p] : undefined;
    if (got === undefined) throw new StrvalsError(`open ${p}: no such file or directory`);
    if ('error' in got) throw new StrvalsError(got.error);
    return got.content;
  };
}
