/** Reads one file out of a chart .tgz (for Chart.yaml of vendored subcharts) without unpacking it. */
import fs from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/**
 * Returns the text of the first entry whose path matches `wanted` (e.g. `/^[^/]+\/Chart\.yaml$/`),
 * or undefined. Understands ustar, PAX `path` records and GNU long names.
 */
export async function readArchiveEntry(file: string, wanted: RegExp): Promise<string | undefined> {
  const data = gunzipSync(await fs.readFile(file), { maxOutputLength: 256 * 1024 * 1024 });
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(cstring(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = cstring(header, 345, 155);
    let name = cstring(header, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (match) longName = match[1];
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'g') continue;
    const entryName = (longName ?? name).replace(/^\.\//, '');
    longName = undefined;
    if ((type === '0' || type === '\0') && wanted.test(entryName)) return body.toString('utf8');
  }
  return undefined;
}

function cstring(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? slice.length : end).toString('utf8');
}
