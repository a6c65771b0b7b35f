/**
 * Rendered charts by content: a chart folder (as materialised for a target, dependency archives included) and
 * the Helm options it is rendered with determine the output, so copies of a stack, and stacks sharing addon
 * charts, render each distinct chart once per process. Bounded by the size of the cached output.
 */
import { createHash } from 'node:crypto';
import { LARGE_FILE_BYTES, readChunks } from '../../core/stored-file.js';
import fs from 'node:fs/promises';
import path from 'node:path';

const MAX_BYTES = 96 * 1024 * 1024;

/** A process-wide cache of rendered results, keyed by `renderKey`; values are cloned in and out. */
export class RenderCache<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = MAX_BYTES) {}

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    return hit && structuredClone(hit.value);
  }

  /** Stores a copy; `bytes` is its approximate size (the rendered text). Oldest entries leave first. */
  set(key: string, value: T, bytes: number): void {
    if (bytes > this.maxBytes || this.entries.has(key)) return;
    while (this.bytes + bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { bytes: number }];
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    this.entries.set(key, { value: structuredClone(value), bytes });
    this.bytes += bytes;
  }
}

/** SHA-256 over every file of `dir` (sorted relative paths, sizes and bytes) and a description of the options. */
export async function renderKey(dir: string, options: unknown): Promise<string> {
  const hash = createHash('sha256');
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
  for (const rel of files) {
    const abs = path.join(dir, rel);
    if ((await fs.stat(abs)).size >= LARGE_FILE_BYTES) {
      // Streamed: the same bytes into the hash, without holding a large file.
      let size = 0;
      const inner = createHash('sha256');
      readChunks(abs, (chunk) => {
        size += chunk.length;
        inner.update(chunk);
      });
      hash.update(`${rel}\0${size}\0`).update(`\0sha256:${inner.digest('hex')}`);
      continue;
    }
    const bytes = await fs.readFile(abs);
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
  }
  // Symbolic links and other non-files are not cached around: they make the key say nothing.
  if (entries.some((e) => !e.isFile() && !e.isDirectory())) hash.update(`\0uncacheable\0${Math.random()}`);
  hash.update('\0options\0').update(describe(options));
  return hash.digest('hex');
}

/** A text that tells apart every value the options can hold (types, -0, Dates, class instances), in order. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'number':
      return Object.is(value, -0) ? 'n-0' : `n${value}`;
    case 'bigint':
      return `b${value}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return `t${value}`;
    case 'object':
      break;
    default:
      throw new Error(`internal: ${typeof value} in render options`);
  }
  if (value instanceof Date) return `d${value.toISOString()}`;
  if (Array.isArray(value)) return `[${value.map(describe).join(',')}]`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = proto === null ? 'null' : (proto.constructor?.name ?? '?');
  return `${name}{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${describe(v)}`).join(',')}}`;
}
