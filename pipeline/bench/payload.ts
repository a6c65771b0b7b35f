/**
 * The large-payload bundle of issue 16's archive and publish rows: a copy of stacks/docker/scs whose
 * cluster-class chart carries a 200 MiB file (`files/payload.bin`), like a vendored binary beside manifests.
 * Shared by the build and publish benches so both measure the same bundle.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { repository } from './cli.bench.js';

export const PAYLOAD_BYTES = 200 * 1024 * 1024;
const BLOCK = 1024 * 1024;
const KEY = crypto.createHash('sha256').update('csp bench payload').digest();

/**
 * `bytes` of deterministic content in 1 MiB blocks, alternating incompressible bytes (AES-256-CTR of
 * zeros under a fixed key) and YAML-like text lines, so deflate meets both kinds of data.
 */
export async function writePayload(file: string, bytes = PAYLOAD_BYTES): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    for (let off = 0, block = 0; off < bytes; off += BLOCK, block += 1) {
      const size = Math.min(BLOCK, bytes - off);
      const buf = Buffer.alloc(size);
      if (block % 2 === 0) {
        const iv = Buffer.alloc(16);
        iv.writeUInt32BE(block, 12);
        crypto.createCipheriv('aes-256-ctr', KEY, iv).update(buf).copy(buf);
      } else {
        let text = '';
        for (let n = 0; text.length < size; n += 1) text += `- name: item-${block}-${n}\n  value: ${(n * 2654435761) % 1000003}\n`;
        buf.write(text.slice(0, size), 'latin1');
      }
      await handle.write(buf);
    }
  } finally {
    await handle.close();
  }
}

/** A repository (see `repository`) with stacks/docker/scs and the payload in its cluster-class chart. */
export async function payloadRepository(root: string, bytes = PAYLOAD_BYTES): Promise<string> {
  const [dir] = await repository(root, 1);
  if (!dir) throw new Error('bench: no stack copied');
  await fs.mkdir(path.join(dir, 'cluster-class/files'), { recursive: true });
  await writePayload(path.join(dir, 'cluster-class/files/payload.bin'), bytes);
  return dir;
}
