/** Build step (`npm run build`, after tsc): writes dist/pipeline/core/schema-validators.cjs for core/schema.ts. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemasDir } from './schema.js';
import { VALIDATORS_FILE, writeValidatorModule } from './schema-code.js';

writeValidatorModule(schemasDir, path.join(path.dirname(fileURLToPath(import.meta.url)), VALIDATORS_FILE));
