/**
 * A reader for the plain subset of YAML that csctl.yaml, versions.yaml and a stack.yaml `nodeImage:` block use
 * (block mappings, block sequences of mappings, plain or simply quoted scalars, comments). It answers with the
 * scalars by path ("config.provider.type", "0.kubernetes") or `undefined` whenever the text leaves that subset,
 * and the caller then parses with the yaml package. A differential test holds it to the yaml package.
 */

const UNSURE = /[{}[\]&*!|>%@`\t]|^---|^\.\.\./m;

/** Scalars by dotted path, or undefined when the text is not plain block YAML. */
export function plainScalars(text: string): Map<string, string> | undefined {
  if (UNSURE.test(text.replace(/(^|\s)#.*$/gm, ''))) return undefined;
  const out = new Map<string, string>();
  const stack: { indent: number; path: string; seq: number }[] = [{ indent: -1, path: '', seq: -1 }];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (line.trim() === '') continue;
    let indent = line.length - line.trimStart().length;
    let rest = line.trimStart();
    while ((stack.at(-1)?.indent ?? -1) >= indent && stack.length > 1) stack.pop();
    let parent = stack.at(-1) ?? { indent: -1, path: '', seq: -1 };
    if (rest.startsWith('- ') || rest === '-') {
      parent.seq += 1;
      const itemPath = join(parent.path, String(parent.seq));
      rest = rest.slice(1).trimStart();
      indent += line.trimStart().length - rest.length;
      if (rest === '') {
        stack.push({ indent: indent - 1, path: itemPath, seq: -1 });
        continue;
      }
      if (!rest.includes(': ') && !rest.endsWith(':')) {
        const v = scalar(rest);
        if (v === undefined) return undefined;
        out.set(itemPath, v);
        continue;
      }
      parent = { indent: indent - 1, path: itemPath, seq: -1 };
      stack.push(parent);
    }
    const m = /^([A-Za-z0-9_.-]+):(?: (.*))?$/.exec(rest);
    if (!m || !m[1]) return undefined;
    const key = join(parent.path, m[1]);
    if (m[2] === undefined || m[2].trim() === '') {
      stack.push({ indent, path: key, seq: -1 });
      continue;
    }
    const v = scalar(m[2].trim());
    if (v === undefined) return undefined;
    out.set(key, v);
  }
  return out;
}

function join(a: string, b: string): string {
  return a ? `${a}.${b}` : b;
}

function scalar(text: string): string | undefined {
  const q = /^"([^"\\]*)"$|^'([^']*)'$/.exec(text);
  if (q) return q[1] ?? q[2] ?? '';
  if (/^["']/.test(text) || /:\s|\s#/.test(text)) return undefined;
  return text;
}
