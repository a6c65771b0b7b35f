/**
 * Node-image references OpenStack stacks write (ORC `Image` in cluster-class/templates/image.yaml, as in
 * the SCS stacks): the OSISM URL and sha256, and the URL of the image for another Kubernetes version.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import type { Stack } from '../stack/index.js';

export const IMAGE_FILE = 'cluster-class/templates/image.yaml';
export const URL_PATH = ['spec', 'resource', 'content', 'download', 'url'];
export const HASH_PATH = ['spec', 'resource', 'content', 'download', 'hash', 'value'];

/** The ORC image URL and hash of the stack, or undefined when it has none. */
export async function readImageRef(stack: Stack): Promise<{ url: string; hash?: string } | undefined> {
  if (!stack.files.includes(IMAGE_FILE)) return undefined;
  const text = await fs.readFile(path.join(stack.dir, IMAGE_FILE), 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  const url = doc.getIn(URL_PATH, true);
  const hash = doc.getIn(HASH_PATH, true);
  if (!isScalar(url) || typeof url.value !== 'string' || !/^https?:\/\//.test(url.value)) return undefined;
  return { url: url.value, hash: isScalar(hash) ? String(hash.value) : undefined };
}

/**
 * The URL of the image for Kubernetes `next` given the URL for `current`: OSISM names the folder
 * `…-kube-v<minor>/` and the file `…-kube-v<patch>.qcow2`. Undefined when the URL does not follow that.
 */
export function osismImageUrl(url: string, current: string, next: string): string | undefined {
  const [cMaj, cMin] = current.split('.');
  const [nMaj, nMin] = next.split('.');
  if (!url.includes(`v${current}`)) return undefined;
  return url.replaceAll(`v${current}`, `v${next}`).replaceAll(`-v${cMaj}.${cMin}/`, `-v${nMaj}.${nMin}/`);
}
