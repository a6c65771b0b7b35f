/**
 * Layer 1: csctl's `<< .Var >>` pre-pass (SovereignCloudStack/csctl pkg/template/template.go). csctl runs
 * valyala/fasttemplate with the start tag `"<< "` and end tag `" >>"` (spaces included) over every file of
 * the stack copy; this is a plain string substitution, not text/template.
 */
import { UserInputError } from '../../core/errors.js';

/** csctl's start and end tags, spaces included: `<<.X>>` is left alone. */
export const CSCTL_START_TAG = '<< ';
export const CSCTL_END_TAG = ' >>';

/** The versions csctl substitutes (all in dot form, as in metadata.yaml). */
export interface CsctlVersions {
  clusterStack: string;
  clusterAddon: string;
  nodeImage: string;
}

/** The tag → value map csctl passes to fasttemplate's ExecuteString. */
export function csctlTags(versions: CsctlVersions): Record<string, string> {
  return {
    '.ClusterClassVersion': versions.clusterStack,
    '.ClusterAddonVersion': versions.clusterAddon,
    '.NodeImageVersion': versions.nodeImage,
  };
}

/** One `<< tag >>` occurrence. */
export interface CsctlTag {
  tag: string;
  /** Character offset of the start tag. */
  offset: number;
  line: number;
  column: number;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Splits `text` like fasttemplate's `Reset`: texts and tags alternate; a start tag without a later end
 * tag fails the whole file (csctl then aborts with "failed to create new template").
 */
export function parseCsctlTags(text: string, file: string): { texts: string[]; tags: CsctlTag[] } {
  const texts: string[] = [];
  const tags: CsctlTag[] = [];
  let at = 0;
  for (;;) {
    const start = text.indexOf(CSCTL_START_TAG, at);
    if (start < 0) {
      texts.push(text.slice(at));
      return { texts, tags };
    }
    texts.push(text.slice(at, start));
    const end = text.indexOf(CSCTL_END_TAG, start + CSCTL_START_TAG.length);
    if (end < 0) {
      const pos = position(text, start);
      throw new UserInputError('CSCTL_TAG_UNCLOSED', `"<< " at ${pos.line}:${pos.column} has no closing " >>"; csctl fails on this file`, {
        details: 'csctl substitutes "<< .ClusterClassVersion >>" (spaces inside the brackets) in every stack file. Close the tag, or write "<<" without the following space (e.g. a shell heredoc <<EOF).',
        location: { file, ...pos },
      });
    }
    tags.push({ tag: text.slice(start + CSCTL_START_TAG.length, end), offset: start, ...position(text, start) });
    at = end + CSCTL_END_TAG.length;
  }
}

/** fasttemplate `ExecuteString`: known tags become their value, unknown ones the empty string. */
export function substituteCsctlTags(text: string, values: Readonly<Record<string, string>>, file = '<text>'): string {
  if (!text.includes(CSCTL_START_TAG)) return text;
  const { texts, tags } = parseCsctlTags(text, file);
  let out = texts[0] ?? '';
  tags.forEach((t, i) => {
    out += (Object.hasOwn(values, t.tag) ? values[t.tag] : '') + (texts[i + 1] ?? '');
  });
  return out;
}

/** csctl also rewrites binary files; csp restricts the pre-pass to text (no NUL byte, valid UTF-8). */
export function isTextContent(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
