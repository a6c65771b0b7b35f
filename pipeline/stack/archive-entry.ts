/** Reads one file out of a chart .tgz (for Chart.yaml of vendored subcharts) without unpacking it. */
import fs from 'node:fs/promises';
import { readTgz } from '../core/tar-read.js';

/**
 * Returns the text of the first file whose path matches `wanted` (e.g. `/^[^/]+\/Chart\.yaml$/`),
 * or undefined. The archive goes through the one strict reader every command uses (size limits
 * against gzip bombs, no links, devices or unsafe paths): its problems are UserInputErrors (TAR_*).
 */
export async function readArchiveEntry(file: string, wanted: RegExp, display = file): Promise<string | undefined> {
  const entry = readTgz(await fs.readFile(file), display).find((e) => e.type === 'file' && wanted.test(e.path));
  return entry?.data.toString('utf8');
}
