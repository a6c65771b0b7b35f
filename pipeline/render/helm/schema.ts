/**
 * values.schema.json checks as `helm template` runs them (helm/helm pkg/chartutil/jsonschema.go): each chart's
 * schema against its scope of the coalesced values, recursively into subcharts. Draft from `$schema`
 * (draft-07 when absent); formats are annotations only, as in santhosh-tekuri/jsonschema's defaults.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ValidationFailed } from '../../core/errors.js';
import type { Issue } from '../../core/errors.js';
import { goJsonMarshal } from '../funcs/go-json.js';
import { isGoMap } from '../template/values.js';
import type { GoMap } from '../template/values.js';
import type { HelmChart } from './types.js';

// Compiled validators by schema text: compiling cilium's 130 kB schema costs more than rendering the chart.
const compiledSchemas = new Map<string, ValidateFunction>();

function compile(schemaText: string, file: string): ValidateFunction {
  const cached = compiledSchemas.get(schemaText);
  if (cached) return cached;
  const validate = compileUncached(schemaText, file);
  if (compiledSchemas.size >= 32) compiledSchemas.delete(compiledSchemas.keys().next().value as string);
  compiledSchemas.set(schemaText, validate);
  return validate;
}

function compileUncached(schemaText: string, file: string): ValidateFunction {
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(schemaText) as Record<string, unknown>;
  } catch (e) {
    throw new ValidationFailed([{ severity: 'error', code: 'HELM_SCHEMA_INVALID', message: `${file}: ${(e as Error).message}`, location: { file } }]);
  }
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  const options = { allErrors: true, strict: false, validateFormats: false, validateSchema: false } as const;
  const ajv = draft.includes('2020-12') ? new Ajv2020(options) : draft.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  try {
    return ajv.compile(schema);
  } catch (e) {
    throw new ValidationFailed([{ severity: 'error', code: 'HELM_SCHEMA_INVALID', message: `${file}: ${(e as Error).message}`, hint: 'Fix the chart\'s values.schema.json.', location: { file } }]);
  }
}

function issueOf(chart: HelmChart, e: ErrorObject, file: string): Issue {
  const where = e.instancePath === '' ? '/' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return {
    severity: 'error',
    code: 'HELM_VALUES_SCHEMA',
    message: `${chart.metadata.name}: values at '${where}' ${e.message ?? 'are invalid'}${extra}`,
    hint: `The values do not meet ${file}; fix the -f/--set values.`,
    location: { file },
  };
}

function collect(chart: HelmChart, values: GoMap, issues: Issue[]): void {
  if (chart.schema !== undefined) {
    const file = `${chart.source}/values.schema.json`;
    const validate = compile(chart.schema.toString('utf8'), file);
    const data = JSON.parse(goJsonMarshal(values)) as unknown;
    if (!validate(data)) for (const e of validate.errors ?? []) issues.push(issueOf(chart, e, file));
  }
  for (const sub of chart.dependencies) {
    const v = values[sub.metadata.name];
    collect(sub, isGoMap(v) ? v : {}, issues);
  }
}

/** Throws ValidationFailed with every schema violation of the chart tree. */
export function validateValuesAgainstSchemas(chart: HelmChart, values: GoMap): void {
  const issues: Issue[] = [];
  collect(chart, values, issues);
  if (issues.length > 0) throw new ValidationFailed(issues, "values don't meet the specifications of the schema(s) in the chart(s)");
}
