/**
 * CSO's release manifest (cso-infrastructure-components.yaml) prepared for local mode: `${VAR:=default}`
 * placeholders filled, and the controller Deployment given `--local=true` plus the bundle folder from the kind
 * node as a read-only hostPath volume at CSO's download folder.
 */
import { parseAllDocuments } from 'yaml';
import { UserInputError } from '../core/errors.js';
import { CSO_LOCAL_DIR, NODE_BUNDLE_DIR } from './versions.js';

type Obj = Record<string, unknown>;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_OBJECTS = 200;

/** The objects to create, in file order. */
export function prepareCsoManifest(text: string, file: string, releaseName: string, env: Record<string, string> = {}): Obj[] {
  if (text.length > MAX_MANIFEST_BYTES) throw new UserInputError('E2E_CSO_MANIFEST_INVALID', `${file} is larger than ${MAX_MANIFEST_BYTES} bytes`, { details: 'Pass CSO\'s cso-infrastructure-components.yaml.' });
  const filled = text.replace(/\$\{([A-Z0-9_]+)(?::=([^}]*))?\}/g, (_m, name: string, def?: string) => env[name] ?? def ?? '');
  const objects: Obj[] = [];
  for (const doc of parseAllDocuments(filled)) {
    if (doc.errors.length) throw new UserInputError('E2E_CSO_MANIFEST_INVALID', `${file}: ${doc.errors[0]!.message}`, { location: { file }, details: 'Pass CSO\'s cso-infrastructure-components.yaml unchanged.' });
    const o = doc.toJS({ maxAliasCount: 100 }) as Obj | null;
    if (o && typeof o === 'object') objects.push(o);
    if (objects.length > MAX_OBJECTS) throw new UserInputError('E2E_CSO_MANIFEST_INVALID', `${file} has more than ${MAX_OBJECTS} objects`, { details: 'This is not CSO\'s component manifest.' });
  }
  const deployment = objects.find((o) => o.kind === 'Deployment' && /cso-controller-manager/.test(String((o.metadata as Obj | undefined)?.name)));
  if (!deployment) throw new UserInputError('E2E_CSO_MANIFEST_INVALID', `${file} has no cso-controller-manager Deployment`, { details: 'Pass CSO\'s cso-infrastructure-components.yaml.' });
  const pod = ((deployment.spec as Obj).template as { spec: { containers: Obj[]; volumes?: Obj[] } }).spec;
  const manager = pod.containers.find((c) => c.name === 'manager') ?? pod.containers[0]!;
  manager.args = [...((manager.args as string[] | undefined) ?? []).filter((a) => !a.startsWith('--local')), '--local=true'];
  manager.volumeMounts = [...((manager.volumeMounts as Obj[] | undefined) ?? []), { name: 'csp-bundle', mountPath: `${CSO_LOCAL_DIR}/${releaseName}`, readOnly: true }];
  pod.volumes = [...(pod.volumes ?? []), { name: 'csp-bundle', hostPath: { path: `${NODE_BUNDLE_DIR}/${releaseName}`, type: 'Directory' } }];
  return objects;
}
