import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../testing/paths.js';
import { coreSchemaVersions } from './core-schemas.js';
import { createSchemaCatalog } from './crd-schema.js';
import { objectsFromYaml } from './read-objects.js';
import { validateObjects } from './validate-objects.js';

const catalog = createSchemaCatalog(coreSchemaVersions());
const golden = path.join(fixturesDir, 'helm-golden/hcloud-csi-2.22.1');

describe('core-kind schemas', () => {
  // ServiceMonitor is a CRD of prometheus-operator, so it is unknown without its CRD. full.yaml is the chart's
  // own test snapshot with reclaimPolicy "Keep", which the apiserver rejects (only Delete and Retain).
  it.each<[string, string[]]>([
    ['default.yaml', []],
    ['example-prod.yaml', []],
    ['deploy-overrides.yaml', []],
    ['full.yaml', ['SCHEMA_INVALID_VALUE:StorageClass', 'SCHEMA_UNKNOWN_KIND:ServiceMonitor', 'SCHEMA_UNKNOWN_KIND:ServiceMonitor']],
  ])('real helm output %s: only the expected findings', (file, expected) => {
    const { objects, issues } = objectsFromYaml(file, fs.readFileSync(path.join(golden, file), 'utf8'));
    expect(issues).toEqual([]);
    expect(objects.length).toBeGreaterThan(5);
    expect(validateObjects(objects, catalog).map((i) => `${i.code}:${i.message.split('/')[0]}`).sort()).toEqual(expected);
  });

  const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\nspec:\n${spec}`;
  const pod = '  selector:\n    matchLabels: {app: d}\n  template:\n    spec:\n      containers:\n';
  it.each<[string, string, string[]]>([
    ['valid (null annotations are fine for built-in kinds)', deployment(`${pod}        - name: c\n          image: x\n`), []],
    ['replicas as a string', deployment(`  replicas: "2"\n${pod}        - name: c\n`), ['SCHEMA_WRONG_TYPE:/spec/replicas:7']],
    ['unknown container field', deployment(`${pod}        - name: c\n          imagePulPolicy: Always\n`), ['SCHEMA_UNKNOWN_FIELD:/spec/template/spec/containers/0/imagePulPolicy:13']],
    ['bad enum', deployment(`${pod}        - name: c\n          imagePullPolicy: Sometimes\n`), ['SCHEMA_INVALID_VALUE:/spec/template/spec/containers/0/imagePullPolicy:13']],
    ['missing container name', deployment(`${pod}        - image: x\n`), ['SCHEMA_MISSING_FIELD:/spec/template/spec/containers/0/name:12']],
    ['ConfigMap data must be strings', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: 80\n', ['SCHEMA_WRONG_TYPE:/data/port:6']],
    ['wrong API version of a core kind', 'apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: d\n', ['SCHEMA_UNKNOWN_VERSION:/apiVersion:1']],
  ])('%s', (_name, text, expected) => {
    const { objects } = objectsFromYaml('x.yaml', text);
    expect(validateObjects(objects, catalog).map((i) => `${i.code}:${i.path}:${i.location?.line}`)).toEqual(expected);
  });
});
