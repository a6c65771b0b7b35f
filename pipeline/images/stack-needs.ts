/**
 * What a stack folder asks of the images stage, read from csctl.yaml, versions.yaml and only the `nodeImage:`
 * block of stack.yaml (no charts, no full stack model), so planning stays cheap over many stacks and versions.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Issue } from '../core/errors.js';
import { MAX_FILE_BYTES } from '../core/source.js';
import type { StackImageNeed } from './plan.js';
import { plainScalars } from './plain-yaml.js';

// Synchronous on purpose: three small files per stack, thousands of stacks (as release/'s fast path).
function readSmall(file: string): string | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
  return readFileSync(file, 'utf8');
}

function parseQuiet(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

/** The top-level `nodeImage:` block of stack.yaml and its first line (1-based); the whole file when not block style. */
export function nodeImageBlock(text: string): { text: string; line: number } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^nodeImage:\s*(#.*)?$/.test(l));
  if (start < 0) return { text, line: 1 };
  let end = start + 1;
  while (end < lines.length && (/^(\s|#|$)/.test(lines[end] ?? ''))) end++;
  return { text: lines.slice(start, end).join('\n'), line: start + 1 };
}

/** The fields planning needs from the three files: the plain reader when it is sure, else the yaml package. */
export function needFields(csctl: string | undefined, versions: string | undefined, nodeImageBlockText: string | undefined): { provider: string; kubernetes: string[]; recipe?: string; target?: string } {
  const c = csctl === undefined ? new Map<string, string>() : plainScalars(csctl);
  const v = versions === undefined ? new Map<string, string>() : plainScalars(versions);
  const n = nodeImageBlockText === undefined ? new Map<string, string>() : plainScalars(nodeImageBlockText);
  if (c && v && n) {
    const listed = [...v.entries()].filter(([k]) => /^\d+\.kubernetes$/.test(k)).map(([, x]) => x);
    const single = c.get('config.kubernetesVersion');
    return { provider: c.get('config.provider.type') ?? '', kubernetes: clean(v.size || listed.length ? listed : single ? [single] : []), recipe: n.get('nodeImage.recipe'), target: n.get('nodeImage.target') };
  }
  const config = (parseQuiet(csctl) as { config?: { kubernetesVersion?: unknown; provider?: { type?: unknown } } } | null | undefined)?.config;
  const list = parseQuiet(versions);
  const nodeImage = (parseQuiet(nodeImageBlockText) as { nodeImage?: { recipe?: unknown; target?: unknown } } | null | undefined)?.nodeImage;
  const kubernetes = Array.isArray(list) ? (list as { kubernetes?: unknown }[]).map((e) => String(e?.kubernetes ?? '')) : typeof config?.kubernetesVersion === 'string' ? [config.kubernetesVersion] : [];
  return {
    provider: typeof config?.provider?.type === 'string' ? config.provider.type : '',
    kubernetes: clean(kubernetes),
    ...(typeof nodeImage?.recipe === 'string' ? { recipe: nodeImage.recipe } : {}),
    ...(typeof nodeImage?.target === 'string' ? { target: nodeImage.target } : {}),
  };
}

function clean(versions: string[]): string[] {
  return [...new Set(versions.map((v) => v.replace(/^v/, '')).filter((v) => /^\d+\.\d+\.\d+$/.test(v)))];
}

/** Reads one stack folder's provider, Kubernetes versions and nodeImage recipe choice; problems are lint's job. */
export function readStackNeed(dir: string, shown: string): { need?: StackImageNeed; issues: Issue[] } {
  const [csctlText, versionsText, stackText] = ['csctl.yaml', 'versions.yaml', 'stack.yaml'].map((f) => readSmall(path.join(dir, f)));
  const block = stackText === undefined ? undefined : nodeImageBlock(stackText);
  const fields = needFields(csctlText, versionsText, block?.text);
  if (!fields.provider) {
    return { issues: [{ severity: 'error', code: 'IMAGE_STACK_NO_PROVIDER', message: `${shown}/csctl.yaml names no config.provider.type`, hint: 'Run csp lint on the stack.', location: { file: `${shown}/csctl.yaml` } }] };
  }
  const need: StackImageNeed = { stack: shown, provider: fields.provider, kubernetes: fields.kubernetes };
  if (fields.recipe && block) {
    need.recipe = fields.recipe;
    const offset = block.text.split('\n').findIndex((l) => /^\s+recipe:/.test(l));
    need.location = { file: `${shown}/stack.yaml`, line: block.line + Math.max(0, offset), column: 3 };
  }
  if (fields.target) need.target = fields.target;
  if (!need.recipe && statSync(path.join(dir, 'node-images'), { throwIfNoEntry: false })?.isDirectory()) {
    const method = /^\s+method:\s*["']?(\w+)/m.exec(csctlText ?? '')?.[1] ?? 'get';
    need.plugin = method === 'get' ? 'get' : 'build';
  }
  return { need, issues: [] };
}
