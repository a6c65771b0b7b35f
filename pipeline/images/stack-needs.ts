/**
 * What a stack folder asks of the images stage, read from csctl.yaml, stack.yaml and versions.yaml only
 * (no charts), so planning stays cheap over many stacks and versions.
 */
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { locate, readYamlFile } from '../core/source.js';
import type { StackImageNeed } from './plan.js';

/** Reads one stack folder's provider, Kubernetes versions and nodeImage recipe choice. */
export async function readStackNeed(dir: string, shown: string): Promise<{ need?: StackImageNeed; issues: Issue[] }> {
  const csctl = await readYamlFile(path.join(dir, 'csctl.yaml'), `${shown}/csctl.yaml`);
  if (!csctl.source) return { issues: csctl.issues };
  const config = (csctl.source.value as { config?: { kubernetesVersion?: unknown; provider?: { type?: unknown } } } | null)?.config;
  const provider = typeof config?.provider?.type === 'string' ? config.provider.type : '';
  const issues: Issue[] = [...csctl.issues];
  let kubernetes = typeof config?.kubernetesVersion === 'string' ? [config.kubernetesVersion.replace(/^v/, '')] : [];
  const versions = await readYamlFile(path.join(dir, 'versions.yaml'), `${shown}/versions.yaml`);
  if (versions.source && Array.isArray(versions.source.value)) {
    kubernetes = (versions.source.value as { kubernetes?: unknown }[]).map((e) => String(e?.kubernetes ?? '').replace(/^v/, '')).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  }
  const stack = await readYamlFile(path.join(dir, 'stack.yaml'), `${shown}/stack.yaml`);
  const nodeImage = (stack.source?.value as { nodeImage?: { recipe?: unknown; target?: unknown } } | null)?.nodeImage;
  const need: StackImageNeed = { stack: shown, provider, kubernetes: [...new Set(kubernetes)] };
  if (typeof nodeImage?.recipe === 'string' && stack.source) {
    need.recipe = nodeImage.recipe;
    need.location = locate(stack.source, ['nodeImage', 'recipe']);
  }
  if (typeof nodeImage?.target === 'string') need.target = nodeImage.target;
  if (!provider) issues.push({ severity: 'error', code: 'IMAGE_STACK_NO_PROVIDER', message: `${shown}/csctl.yaml names no config.provider.type`, location: { file: `${shown}/csctl.yaml` } });
  return { need, issues };
}
