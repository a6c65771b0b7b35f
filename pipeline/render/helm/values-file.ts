/** Values files (values.yaml, `-f` layers) read like sigs.k8s.io/yaml: a map at the top, numbers float64. */
import { UserInputError } from '../../core/errors.js';
import { parseYamlGo } from '../funcs/helm-yaml.js';
import { isGoMap } from '../template/values.js';
import type { GoMap, GoValue } from '../template/values.js';

/** Parses a values document; an empty document is `{}`, anything but a map is a positioned error. */
export function parseValuesYaml(text: string, file: string): GoMap {
  let v: GoValue;
  try {
    v = parseYamlGo(text);
  } catch (e) {
    const m = /line (\d+)/.exec((e as Error).message);
    throw new UserInputError('VALUES_INVALID_YAML', `${file}: ${(e as Error).message}`, {
      details: 'Fix the YAML syntax of the values file.',
      location: { file, line: m ? Number(m[1]) : undefined },
    });
  }
  if (v === null || v === undefined) return {};
  if (!isGoMap(v)) {
    throw new UserInputError('VALUES_NOT_A_MAP', `${file}: values must be a map, not a ${Array.isArray(v) ? 'list' : typeof v}`, {
      details: 'Helm values files hold a YAML mapping at the top level.',
      location: { file, line: 1, column: 1 },
    });
  }
  return v;
}
