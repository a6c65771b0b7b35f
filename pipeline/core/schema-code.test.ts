/**
 * The validators `npm run build` generates (schema-code.ts) must judge every document exactly as ajv compiling
 * the same schemas at run time does: same verdict, same errors (paths, keywords, params, messages), since
 * core/schema.ts turns those errors into positioned issues. And a generated module is used only for the schema
 * files it was made from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoRoot, scsStacksDir } from '../testing/paths.js';
import { generateValidatorCode } from './schema-code.js';
import { SCHEMA_OPTIONS, loadGeneratedValidators, schemaFiles, schemasDir } from './schema.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
let tmp: string;
let file: string;
let generated: Map<string, ValidateFunction>;
let runtime: Ajv2020;

beforeAll(() => {
  // Inside the repository, so the module's require("ajv/...") resolves as it does from dist/.
  tmp = fs.mkdtempSync(path.join(repoRoot, '.csp-schema-code-'));
  file = path.join(tmp, 'schema-validators.cjs');
  fs.writeFileSync(file, generateValidatorCode(schemasDir));
  const loaded = loadGeneratedValidators(file, schemasDir);
  if (!loaded) throw new Error('generated validators did not load');
  generated = loaded;
  runtime = new Ajv2020({ ...SCHEMA_OPTIONS });
  addFormats(runtime);
  for (const f of schemaFiles(schemasDir)) runtime.addSchema(JSON.parse(fs.readFileSync(path.join(schemasDir, f), 'utf8')) as object, f);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every YAML and JSON document of stacks/, releases/, images/ and the SCS fixtures. */
function corpus(): unknown[] {
  const docs: unknown[] = [];
  for (const root of ['stacks', 'releases', 'images', 'schemas'].map((d) => path.join(repoRoot, d)).concat([scsStacksDir])) {
    if (!fs.existsSync(root)) continue;
    for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || e.parentPath.includes('templates') || e.name.endsWith('.schema.json')) continue;
      const full = path.join(e.parentPath, e.name);
      const text = fs.readFileSync(full, 'utf8');
      if (/\.ya?ml$/.test(e.name)) for (const d of parseAllDocuments(text)) if (!d.errors.length) docs.push(d.toJS());
      if (e.name.endsWith('.json')) docs.push(JSON.parse(text));
    }
  }
  return docs;
}

/** Variants that break a document in the ways people do: a key dropped, an unknown key, a wrong type. */
function mutations(doc: unknown): unknown[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const keys = Object.keys(doc);
  const out: unknown[] = [{ ...doc, unexpectedKey: 1 }];
  for (const k of keys.slice(0, 6)) {
    const { [k]: _dropped, ...rest } = doc as Record<string, unknown>;
    out.push(rest, { ...doc, [k]: 42 }, { ...doc, [k]: 'not-what-you-think' }, { ...doc, [k]: null });
  }
  return out;
}

describe('generated validators == ajv at run time', () => {
  it('cover every schema file', () => {
    expect([...generated.keys()]).toEqual(schemaFiles(schemasDir));
  });

  it('give the same verdict and errors on every document of the repository and its mutations, against every schema', () => {
    const docs = corpus().flatMap((d) => [d, ...mutations(d)]);
    expect(docs.length).toBeGreaterThan(500);
    let invalid = 0;
    for (const name of schemaFiles(schemasDir)) {
      const a = runtime.getSchema(name)!;
      const b = generated.get(name)!;
      for (const doc of docs) {
        const va = a(doc);
        const vb = b(doc);
        expect(vb).toBe(va);
        expect(JSON.stringify(b.errors ?? null)).toBe(JSON.stringify(a.errors ?? null));
        if (!va) invalid += 1;
      }
    }
    // Both verdicts occur, so the comparison is not between two validators that accept (or refuse) everything.
    expect(invalid).toBeGreaterThan(100);
    expect(invalid).toBeLessThan(docs.length * schemaFiles(schemasDir).length);
  });
});

describe('a generated module is used only for the schemas it was made from', () => {
  it('a changed schema file makes it unusable (compiled at run time instead)', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'schemas-'));
    for (const f of schemaFiles(schemasDir)) fs.copyFileSync(path.join(schemasDir, f), path.join(dir, f));
    expect(loadGeneratedValidators(file, dir)).toBeDefined();
    fs.appendFileSync(path.join(dir, 'release.schema.json'), '\n');
    expect(loadGeneratedValidators(file, dir)).toBeUndefined();
  });

  it('an added or removed schema file, a missing module or a foreign module makes it unusable', () => {
    const added = fs.mkdtempSync(path.join(tmp, 'added-'));
    for (const f of schemaFiles(schemasDir)) fs.copyFileSync(path.join(schemasDir, f), path.join(added, f));
    fs.writeFileSync(path.join(added, 'extra.schema.json'), '{}');
    expect(loadGeneratedValidators(file, added)).toBeUndefined();
    const removed = fs.mkdtempSync(path.join(tmp, 'removed-'));
    for (const f of schemaFiles(schemasDir).slice(1)) fs.copyFileSync(path.join(schemasDir, f), path.join(removed, f));
    expect(loadGeneratedValidators(file, removed)).toBeUndefined();
    expect(loadGeneratedValidators(path.join(tmp, 'missing.cjs'), schemasDir)).toBeUndefined();
    const foreign = path.join(tmp, 'foreign.cjs');
    fs.writeFileSync(foreign, 'exports.v0 = () => true;\n');
    expect(loadGeneratedValidators(foreign, schemasDir)).toBeUndefined();
  });
});
