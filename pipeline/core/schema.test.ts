/** Every schema in schemas/ is a valid JSON Schema 2020-12 document (the runtime compiles them without that check). */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { checkValue, schemasDir } from './schema.js';

const files = fs.readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json')).sort();

describe('schemas/*.schema.json', () => {
  it('are there', () => {
    expect(files).toContain('release.schema.json');
  });

  it.each(files)('%s is valid against the JSON Schema 2020-12 meta-schema', (file) => {
    const ajv = new Ajv2020({ strict: false });
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8')) as object;
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
  });

  it('a schema that breaks the meta-schema is caught by this check', () => {
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validateSchema({ type: 'object', properties: { name: { type: 'strnig' } } })).toBe(false);
  });

  it('the runtime still applies every schema (an unknown key in a release record is refused)', () => {
    expect(checkValue('release.schema.json', { apiVersion: 'x', unknownKey: true }).length).toBeGreaterThan(0);
  });
});
