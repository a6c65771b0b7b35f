/**
 * Layer 3: CSO's templating of `overwrite.yaml` / `cluster-addon-values.yaml`
 * (SovereignCloudStack/cluster-stack-operator internal/controller/clusteraddon_controller.go
 * `buildTemplateFromClusterAddonValues`): text/template with slim-sprig and default missingkey over the
 * unstructured Cluster, ControlPlane and InfraCluster objects; the result's string `values` feeds `helm -f -`.
 */
import { parse as parseYaml } from 'yaml';
import { UserInputError, type Location } from '../../core/errors.js';
import { slimSprigFuncs } from '../funcs/sprig.js';
import { createTemplateSet, GoNumber, TemplateError, type FuncMap, type GoValue } from '../template/index.js';

/** The objects CSO binds: `.Cluster` always, the others when the Cluster references them. */
export interface CsoTemplateData {
  cluster: Record<string, unknown>;
  controlPlane?: Record<string, unknown>;
  infraCluster?: Record<string, unknown>;
}

/** The rendered values file: the text after templating and the `values` string CSO passes to Helm. */
export interface CsoValuesResult {
  expanded: string;
  values: string;
}

/**
 * Unstructured objects as Go sees them after `json.Unmarshal` into `unstructured.Unstructured`:
 * integral numbers are int64, others float64.
 */
export function toUnstructured(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? new GoNumber('int64', BigInt(v)) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toUnstructured);
  if (typeof v === 'object') {
    const out: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toUnstructured(x);
    return out;
  }
  return String(v);
}

let slim: FuncMap | undefined;

function clusterName(cluster: Record<string, unknown>): string {
  const meta = cluster.metadata as Record<string, unknown> | undefined;
  return typeof meta?.name === 'string' ? meta.name : '';
}

/**
 * Renders a CSO values file for one Cluster. Template problems throw a TemplateError positioned in
 * `file`; a result without a string `values` key throws CSO_VALUES_NOT_STRING, as CSO fails then too.
 */
export function renderCsoValues(text: string, data: CsoTemplateData, file: string): CsoValuesResult {
  // CSO names the template after the cluster; csp names it after the file so errors point at it.
  const set = createTemplateSet({ name: file, funcs: (slim ??= slimSprigFuncs()) });
  const bound: Record<string, GoValue> = { Cluster: toUnstructured(data.cluster) };
  if (data.controlPlane) bound.ControlPlane = toUnstructured(data.controlPlane);
  if (data.infraCluster) bound.InfraCluster = toUnstructured(data.infraCluster);
  let expanded: string;
  try {
    set.parse(file, text);
    expanded = set.execute(file, bound);
  } catch (e) {
    if (e instanceof TemplateError) {
      throw new TemplateError(e.code as 'TEMPLATE_PARSE_ERROR', `${e.message} (CSO values templating of cluster ${JSON.stringify(clusterName(data.cluster))})`, e.location);
    }
    throw e;
  }
  let doc: unknown;
  try {
    doc = parseYaml(expanded, { version: '1.1' });
  } catch (e) {
    throw new UserInputError('CSO_VALUES_NOT_YAML', `${file} is not YAML after CSO templating: ${(e as Error).message.split('\n')[0]}`, {
      details: 'CSO parses the templated file as YAML; quote template output that may contain ":" or start with special characters.',
      location: { file, line: 1, column: 1 },
    });
  }
  const values = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>).values : undefined;
  if (typeof values !== 'string') {
    const location: Location = { file, line: 1, column: 1 };
    throw new UserInputError('CSO_VALUES_NOT_STRING', `${file} has no string key "values" after CSO templating`, {
      details: 'CSO fails with "key \'values\' not found in template of cluster addon helm chart": write `values: |` followed by the Helm values as a block string.',
      location,
    });
  }
  return { expanded, values };
}
