/**
 * `--standard`: one Cluster works on every provider. Checks that each provider's ClusterClass exposes
 * the standard variables with compatible schemas, that the provider-independent example Cluster passes
 * the dry-run with only its class changed, and that the addons render the standard storage classes and
 * every provider maps the standard load-balancer annotations (stack.yaml `standard`).
 */
import type { Location } from '../core/errors.js';
import type { ClassModel } from './class-model.js';
import type { SchemaCatalog } from './crd-schema.js';
import { dryRunTopology } from './dry-run.js';
import { issueAt } from './locate-rendered.js';
import { readTopology } from './topology-cluster.js';
import { identityOf, isJsonObject, type JsonObject, type RenderedObject } from './types.js';
import type { ValidationIssue } from './validate-objects.js';

/** The standard variable interface (stacks/README.md "Standard ClusterClass variables"), as type signatures. */
export const STANDARD_VARIABLES: Record<string, unknown> = {
  controlPlaneMachineSize: 'string',
  workerMachineSize: 'string',
  imageName: 'string',
  networkMTU: 'integer',
  oidcConfig: { clientID: 'string', issuerURL: 'string', usernameClaim: 'string', groupsClaim: 'string', usernamePrefix: 'string', groupsPrefix: 'string' },
  auditLogging: 'boolean',
  certSANs: ['string'],
};

/** One provider's implementation of the stack, as validate sees it. */
export interface StandardProvider {
  provider: string;
  model: ClassModel;
  variables: Map<string, unknown>;
  classObjects: readonly RenderedObject[];
  addonObjects: readonly RenderedObject[];
  standard?: { storageClasses?: { name: string; default?: boolean }[]; loadBalancerAnnotations?: Record<string, string> };
  loadBalancers: string[];
  hasCsi: boolean;
  /** stack.yaml location for issues about the declaration. */
  stackFile: string;
  locations?: Record<string, Location>;
}

/** The type signature of a schema: a type name, a property map or a one-element item list. */
export function signature(schema: unknown): unknown {
  if (!isJsonObject(schema)) return 'any';
  if (schema.type === 'object' && isJsonObject(schema.properties)) return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, signature(v)]));
  if (schema.type === 'array') return [signature(schema.items)];
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** Why `actual` cannot take every value `expected` describes, or undefined when compatible. */
export function incompatibility(expected: unknown, actual: unknown, at = ''): string | undefined {
  if (Array.isArray(expected)) return Array.isArray(actual) ? incompatibility(expected[0], actual[0], `${at}[]`) : `${at || 'value'} is ${describe(actual)}, expected an array`;
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return `${at || 'value'} is ${describe(actual)}, expected an object`;
    for (const [k, v] of Object.entries(expected)) {
      if (!Object.hasOwn(actual, k)) return `${at ? `${at}.` : ''}${k} is missing`;
      const why = incompatibility(v, actual[k], `${at ? `${at}.` : ''}${k}`);
      if (why) return why;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${at || 'value'} is ${describe(actual)}, expected ${String(expected)}`;
}

function describe(sig: unknown): string {
  return Array.isArray(sig) ? 'an array' : isJsonObject(sig) ? 'an object' : String(sig);
}

function stackLocation(p: StandardProvider, pointer: string): Location {
  return p.locations?.[`stack.yaml#${pointer}`] ?? p.locations?.['stack.yaml#/standard'] ?? { file: p.stackFile };
}

function checkVariables(p: StandardProvider, out: ValidationIssue[]): void {
  for (const [name, expected] of Object.entries(STANDARD_VARIABLES)) {
    const index = p.model.variables.findIndex((v) => v.name === name);
    if (!p.variables.has(name)) {
      out.push(issueAt(p.model.object, '/spec/variables', { code: 'STANDARD_VARIABLE_MISSING', message: `[${p.provider}] ClusterClass ${p.model.name} does not define the standard variable "${name}"`, hint: 'Every stack defines the standard variables with the same names and types (stacks/README.md).' }));
      continue;
    }
    const why = incompatibility(expected, signature(p.variables.get(name)));
    if (why) out.push(issueAt(p.model.object, `/spec/variables/${index}/schema/openAPIV3Schema`, { code: 'STANDARD_VARIABLE_INCOMPATIBLE', message: `[${p.provider}] standard variable "${name}": ${why}` }));
    if (p.model.variables[index]?.required === true) {
      out.push(issueAt(p.model.object, `/spec/variables/${index}/required`, { code: 'STANDARD_VARIABLE_REQUIRED', message: `[${p.provider}] standard variable "${name}" is required; a portable Cluster may omit it`, hint: 'Make it optional with a default.' }));
    }
  }
}

function checkExample(p: StandardProvider, example: RenderedObject, catalog: SchemaCatalog | undefined, out: ValidationIssue[]): void {
  const doc = structuredClone(example.doc);
  const topology = isJsonObject(doc.spec) && isJsonObject(doc.spec.topology) ? doc.spec.topology : undefined;
  if (topology && isJsonObject(topology.classRef)) topology.classRef.name = p.model.name;
  else if (topology) topology.class = p.model.name;
  const cluster: RenderedObject = { ...example, doc };
  const read = readTopology(cluster, p.model, p.variables);
  const issues = [...read.issues];
  if (read.topology) issues.push(...dryRunTopology(p.model, read.topology, p.classObjects, catalog).issues);
  for (const i of issues) out.push({ ...i, code: i.severity === 'error' ? 'STANDARD_EXAMPLE_FAILS' : i.code, message: `[${p.provider}] example Cluster with class ${p.model.name}: ${i.code} ${i.message}` });
}

function storageClasses(objects: readonly RenderedObject[]): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const o of objects) {
    const id = identityOf(o.doc);
    if (id.kind === 'StorageClass' && id.name) out.set(id.name, o.doc);
  }
  return out;
}

function checkStorage(p: StandardProvider, all: StandardProvider[], out: ValidationIssue[]): void {
  if (!p.hasCsi) return;
  const rendered = storageClasses(p.addonObjects);
  const declared = p.standard?.storageClasses ?? [];
  declared.forEach((sc, i) => {
    const doc = rendered.get(sc.name);
    const loc = stackLocation(p, `/standard/storageClasses/${i}`);
    if (!doc) {
      out.push({ severity: 'error', code: 'STANDARD_STORAGECLASS_MISSING', message: `[${p.provider}] standard storage class "${sc.name}" is not rendered by any addon (rendered: ${[...rendered.keys()].join(', ') || 'none'})`, hint: 'Configure the CSI addon chart to create it.', location: loc });
      return;
    }
    const annotations = isJsonObject(doc.metadata) && isJsonObject(doc.metadata.annotations) ? doc.metadata.annotations : {};
    const isDefault = annotations['storageclass.kubernetes.io/is-default-class'] === 'true';
    if ((sc.default === true) !== isDefault) {
      out.push({ severity: 'error', code: 'STANDARD_STORAGECLASS_DEFAULT', message: `[${p.provider}] storage class "${sc.name}" is ${isDefault ? '' : 'not '}the default class, stack.yaml says default: ${sc.default === true}`, location: loc });
    }
  });
  const names = new Set(declared.map((s) => s.name));
  for (const other of all) {
    if (!other.hasCsi) continue;
    for (const sc of other.standard?.storageClasses ?? []) {
      if (names.has(sc.name)) continue;
      names.add(sc.name);
      out.push({ severity: 'warning', code: 'STANDARD_STORAGECLASS_NOT_COMMON', message: `[${p.provider}] does not declare storage class "${sc.name}", which ${other.provider} declares as standard`, hint: 'Either every provider offers it or it is not a standard name.', location: stackLocation(p, '/standard/storageClasses') });
    }
  }
}

function checkAnnotations(p: StandardProvider, all: StandardProvider[], out: ValidationIssue[]): void {
  if (p.loadBalancers.length === 0) return;
  const mine = p.standard?.loadBalancerAnnotations ?? {};
  const keys = new Set(all.filter((o) => o.loadBalancers.length > 0).flatMap((o) => Object.keys(o.standard?.loadBalancerAnnotations ?? {})));
  for (const key of [...keys].sort()) {
    if (Object.hasOwn(mine, key)) continue;
    out.push({ severity: 'error', code: 'STANDARD_ANNOTATION_UNMAPPED', message: `[${p.provider}] standard load-balancer annotation "${key}" is not mapped to a provider annotation`, hint: 'Add it to stack.yaml standard.loadBalancerAnnotations.', location: stackLocation(p, '/standard/loadBalancerAnnotations') });
  }
}

/** Runs every standard check over all providers of a stack and the example Cluster. */
export function checkStandard(input: { providers: StandardProvider[]; example?: RenderedObject; catalog?: SchemaCatalog }): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const p of input.providers) {
    checkVariables(p, out);
    if (input.example) checkExample(p, input.example, input.catalog, out);
    checkStorage(p, input.providers, out);
    checkAnnotations(p, input.providers, out);
  }
  return out;
}
