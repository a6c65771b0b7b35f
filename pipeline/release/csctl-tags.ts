/**
 * csctl's `<< .ClusterClassVersion >>` / `<< .ClusterAddonVersion >>` / `<< .NodeImageVersion >>` pre-pass
 * applied to a target's source tree, so the bundle ships what render and validate saw. csctl runs it over every
 * file of the stack copy before packaging (SovereignCloudStack/csctl pkg/template/template.go `visitFile`,
 * called by `GenerateOutputFromTemplate` in pkg/cmd/create.go `generateRelease`); hashes stay those of the
 * files as written, as csctl hashes the folder before the pre-pass.
 */
import { createHash } from 'node:crypto';
import { UserInputError, type Issue } from '../core/errors.js';
import { csctlTags, isTextContent, parseCsctlTags, substituteCsctlTags } from '../render/index.js';
import type { ComponentVersions } from '../version/index.js';
import type { SourceTree, TreeFile } from './types.js';
import { isTextStored, type StoredFile } from '../core/stored-file.js';

const KNOWN = new Set(Object.keys(csctlTags({ clusterStack: '', clusterAddon: '', nodeImage: '' })));

/** Files csctl's pre-pass may change: text files (vendored chart archives are binary and left alone). */
function isTemplated(file: TreeFile): boolean {
  if (file.stored) {
    // A large file is streamed once to find out (binary payloads stop at their first NUL byte); text ones are read.
    let text = storedText.get(file.stored);
    if (text === undefined) storedText.set(file.stored, (text = isTextStored(file.stored)));
    return text && file.data.includes(0x3c);
  }
  return file.data.includes(0x3c) && isTextContent(file.data);
}

const storedText = new WeakMap<StoredFile, boolean>();

/** Unclosed `<< ` (csctl aborts) is an error; an unknown tag (csctl writes an empty string) is a warning. */
export function checkCsctlTags(tree: SourceTree, displayDir: string): Issue[] {
  const issues: Issue[] = [];
  for (const file of tree.files) {
    if (!isTemplated(file)) continue;
    const shown = `${displayDir}/${file.path}`;
    try {
      for (const tag of parseCsctlTags(file.data.toString('utf8'), shown).tags) {
        if (KNOWN.has(tag.tag)) continue;
        issues.push({
          severity: 'warning',
          code: 'CSCTL_TAG_UNKNOWN',
          message: `"<< ${tag.tag} >>" is not a csctl tag; csctl and csp replace it with an empty string`,
          hint: `Use one of ${[...KNOWN].map((k) => `<< ${k} >>`).join(', ')}, or write "<<" without the following space.`,
          location: { file: shown, line: tag.line, column: tag.column },
        });
      }
    } catch (e) {
      if (!(e instanceof UserInputError)) throw e;
      issues.push(e.toIssue());
    }
  }
  return issues;
}

/** The tree with every csctl tag replaced by the target's versions (dot form, as in metadata.yaml). */
export function substituteTree(tree: SourceTree, versions: ComponentVersions, displayDir: string): SourceTree {
  const tags = csctlTags(versions);
  const files = tree.files.map((file) => {
    if (!isTemplated(file)) return file;
    const text = file.data.toString('utf8');
    const out = substituteCsctlTags(text, tags, `${displayDir}/${file.path}`);
    if (out === text) return file;
    const data = Buffer.from(out, 'utf8');
    return { path: file.path, data, sha256: createHash('sha256').update(data).digest('hex') };
  });
  return { ...tree, files };
}
