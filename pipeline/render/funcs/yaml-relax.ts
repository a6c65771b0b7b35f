/**
 * yaml.v2 (libyaml) accepts multi-line quoted scalars whose continuation lines are indented less than
 * the YAML spec requires (the SCS openstack cluster-class ships one); the `yaml` package rejects them.
 * Re-indenting such continuation lines is value-preserving (line folding drops leading white space), so
 * a parser can retry with the relaxed text and read what Helm reads.
 */

function quoteEnd(s: string, from: number, q: string): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (q === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== q) continue;
    if (q === "'" && s[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

const KEY = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^"'#\s][^#]*?):(?:[ \t]+|$)/;

/** Indents under-indented continuation lines of multi-line quoted scalars; other text is unchanged. */
export function relaxQuotedScalarIndent(text: string): string {
  const lines = text.split('\n');
  let quote: string | undefined;
  let minIndent = 0;
  let blockParent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const stripped = line.replace(/^[ \t]*/, '');
    const indent = line.length - stripped.length;
    if (quote !== undefined) {
      if (stripped !== '' && indent < minIndent) lines[i] = ' '.repeat(minIndent) + stripped;
      if (quoteEnd(stripped, 0, quote) >= 0) quote = undefined;
      continue;
    }
    if (blockParent !== undefined) {
      if (stripped === '' || indent > blockParent) continue;
      blockParent = undefined;
    }
    let rest = stripped;
    if (rest.startsWith('#') || rest.startsWith('---') || rest.startsWith('...')) continue;
    for (let m = /^-(?:[ \t]+|$)/.exec(rest); m; m = /^-(?:[ \t]+|$)/.exec(rest)) rest = rest.slice(m[0].length);
    const key = KEY.exec(rest);
    if (key) rest = rest.slice(key[0].length);
    const q = rest[0];
    if (q === '"' || q === "'") {
      if (quoteEnd(rest, 1, q) < 0) {
        quote = q;
        minIndent = indent + 1;
      }
    } else if (/^[|>][-+0-9]*[ \t]*(?:#.*)?$/.test(rest)) {
      blockParent = indent;
    }
  }
  return lines.join('\n');
}
