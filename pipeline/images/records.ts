/** Image records in releases/images/<name>.json: read all (schema-checked), write one at a time. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../core/errors.js';
import { checkValue } from '../core/schema.js';
import type { ImageRecord } from './types.js';

/** Folder of image records inside a ledger folder. */
export function recordsDir(ledgerDir: string): string {
  return path.join(ledgerDir, 'images');
}

/** Every record in `<ledger>/images/`; a malformed one is an error naming the file. */
export async function readImageRecords(ledgerDir: string): Promise<ImageRecord[]> {
  const dir = recordsDir(ledgerDir);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: ImageRecord[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (error) {
      throw new UserInputError('IMAGE_RECORD_INVALID', `${file} is not JSON`, { cause: error, location: { file }, details: 'Restore it from git or delete it (the image will be rebuilt).' });
    }
    const problems = checkValue('image-record.schema.json', value);
    if (problems.length) {
      throw new UserInputError('IMAGE_RECORD_INVALID', `${file}: ${problems[0]}`, { location: { file }, details: 'See schemas/image-record.schema.json.' });
    }
    out.push(value as ImageRecord);
  }
  return out;
}

/** Writes (or replaces) the record of `record.name`; returns its path. */
export async function writeImageRecord(ledgerDir: string, record: ImageRecord): Promise<string> {
  const problems = checkValue('image-record.schema.json', record);
  if (problems.length) throw new UserInputError('IMAGE_RECORD_INVALID', `record ${record.name}: ${problems.join('; ')}`);
  const dir = recordsDir(ledgerDir);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${record.name}.json`);
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await fs.rename(tmp, file);
  return file;
}
