import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provenanceStatement } from '../sign/index.js';
import { recordedSchemas, schemaProvenanceInputs } from './ledger-adapter.js';

const digest = 'a'.repeat(64);
const schemas = { catalog: `sha256:${'c'.repeat(64)}`, kubernetes: { minor: '1.32', source: 'swagger-v1.32.json', sha256: digest }, providers: [{ name: 'cluster-api', version: 'v1.14.0' }] };

describe('the schema catalog in the SLSA provenance', () => {
  it.each<[string, Parameters<typeof schemaProvenanceInputs>[0], string[]]>([
    ['no record', undefined, []],
    ['catalog and Kubernetes document', schemas, [`csp schema catalog:${'c'.repeat(64)}`, `Kubernetes 1.32 OpenAPI v2 (swagger-v1.32.json):${digest}`]],
    ['catalog without a Kubernetes minor', { catalog: schemas.catalog, providers: [] }, [`csp schema catalog:${'c'.repeat(64)}`]],
  ])('%s', (_name, input, expected) => {
    const inputs = schemaProvenanceInputs(input);
    expect(inputs.map((i) => `${i.name}:${i.digest.sha256}`)).toEqual(expected);
    const statement = provenanceStatement({ subjectName: 's', manifestDigest: `sha256:${digest}`, releaseName: 'r', files: [], builderId: 'local', inputs });
    const resolved = (statement.predicate as { buildDefinition: { resolvedDependencies: { name?: string }[] } }).buildDefinition.resolvedDependencies;
    expect(resolved.map((r) => r.name)).toEqual(inputs.map((i) => i.name));
  });

  it('reads the schemas of a release record, and nothing without a ledger or record', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csp-schema-prov-'));
    try {
      expect(await recordedSchemas(undefined, 'docker-scs-1-32-v1')).toBeUndefined();
      expect(await recordedSchemas(dir, 'docker-scs-1-32-v1')).toBeUndefined();
      const record = { apiVersion: 'csp.scs.community/v1alpha1', kind: 'ClusterStackRelease', name: 'docker-scs-1-32-v1', provider: 'docker', stack: 'scs', kubernetesVersion: 'v1.32.5', versions: { clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' }, hashes: { clusterStack: 'x', clusterAddonDir: 'y' }, files: [], schemas };
      await fs.writeFile(path.join(dir, 'docker-scs-1-32-v1.yaml'), JSON.stringify(record));
      expect(await recordedSchemas(dir, 'docker-scs-1-32-v1')).toEqual(schemas);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
