/**
 * `--standard`: one Cluster works on every provider. Checks that each provider's ClusterClass exposes
 * the standard variables its stack.yaml declares (`standard.variables`) with compatible schemas, that
 * every provider of a stack declares the same interface, that the provider-independent example Cluster
 * passes the dry-run with only its class changed, and that the addons render the standard storage classes
 * and every provider maps the standard load-balancer annotations (stack.yaml `standard`).
 */
import type { Location } from '../core/errors.js';
import { where, type StackConfig, type StandardVariable } from '../stack/index.js';
import type { ClassModel } from './class-model.js';
import type { SchemaCatalog } from './crd-schema.js';
import { dryRunTopology } from './dry-run.js';
import { issueAt } from './locate-rendered.js';
import { readTopology } from './topology-cluster.js';
import { identityOf, isJsonObject, type JsonObject, type RenderedObject } from './types.js';
import type { ValidationIssue } from './validate-objects.js';

const text = { type: 'string' } as const;

/**
 * The built-in interface, checked only for stacks without a stack.yaml (stacks declare theirs in
 * stack.yaml `standard.variables`; the SCS stacks declare exactly this one).
 */
export const STANDARD_VARIABLES: Readonly<Record<string, StandardVariable>> = {
  controlPlaneMachineSize: text,
  workerMachineSize: text,
  imageName: text,
  networkMTU: { type: 'integer' },
  oidcConfig: { type: 'object', properties: { clientID: text, issuerURL: text, usernameClaim: text, groupsClaim: text, usernamePrefix: text, groupsPrefix: text } },
  auditLogging: { type: 'boolean' },
  certSANs: { type: 'array', items: text },
};

/** One provider's implementation of the stack, as validate sees it. */
export interface StandardProvider {
  provider: string;
  model: ClassModel;
  variables: Map<string, unknown>;
  classObjects: readonly RenderedObject[];
  addonObjects: readonly RenderedObject[];
  /** stack.yaml `standard`; absent when stack.yaml is absent or has no `standard`. */
  standard?: StackConfig['standard'];
  loadBalancers: string[];
  hasCsi: boolean;
  /** stack.yaml location for issues about the declaration. */
  stackFile: string;
  locations?: Record<string, Location>;
}

/**
 * The type signature of a schema (a ClusterClass variable's openAPIV3Schema or a stack.yaml declaration):
 * a type name, a property map or a one-element item list.
 */
export function signature(schema: unknown): unknown {
  if (!isJsonObject(schema)) return 'any';
  if (schema.type === 'object' && isJsonObject(schema.properties)) return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, signature(v)]));
  if (schema.type === 'array') return [signature(schema.items)];
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** Why `actual` cannot take every value `expected` describes, or undefined when compatible. */
export function incompatibility(expected: unknown, actual: unknown, at = ''): string | undefined {
  if (expected === 'any' || (expected === 'object' && isJsonObject(actual))) return undefined;
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
  return where(p.locations ?? {}, p.stackFile, pointer);
}

/** The interface a provider is checked against, and where it comes from. */
interface Declared {
  provider: StandardProvider;
  source: 'stack.yaml' | 'builtin';
  variables: Readonly<Record<string, StandardVariable>>;
}

/** stack.yaml's `standard.variables`; the built-in list only when there is no stack.yaml (with a note). */
function declaredInterface(p: StandardProvider, out: ValidationIssue[]): Declared {
  const declared = p.standard?.variables;
  if (declared) return { provider: p, source: 'stack.yaml', variables: declared };
  const hasStackYaml = p.standard !== undefined || p.locations?.[`${p.stackFile}#`] !== undefined;
  if (hasStackYaml) {
    out.push({ severity: 'warning', code: 'STANDARD_VARIABLES_UNDECLARED', message: `[${p.provider}] stack.yaml declares no standard.variables: its ClusterClass variables are not checked`, hint: 'Declare the interface under standard.variables (see stacks/README.md).', location: stackLocation(p, '/standard') });
    return { provider: p, source: 'stack.yaml', variables: {} };
  }
  const file = p.stackFile.replace(/\/?stack\.yaml$/, '') || '.';
  out.push({ severity: 'note', code: 'STANDARD_VARIABLES_BUILTIN', message: `[${p.provider}] no stack.yaml: checking the built-in standard variables (${Object.keys(STANDARD_VARIABLES).join(', ')})`, hint: 'Add a stack.yaml that declares standard.variables.', location: { file } });
  return { provider: p, source: 'builtin', variables: STANDARD_VARIABLES };
}

function checkVariables(d: Declared, out: ValidationIssue[]): void {
  const p = d.provider;
  const origin = d.source === 'builtin' ? 'built-in standard variable' : 'standard variable';
  for (const [name, declared] of Object.entries(d.variables)) {
    const index = p.model.variables.findIndex((v) => v.name === name);
    if (!p.variables.has(name)) {
      out.push(issueAt(p.model.object, '/spec/variables', { code: 'STANDARD_VARIABLE_MISSING', message: `[${p.provider}] ClusterClass ${p.model.name} does not define the ${origin} "${name}"`, hint: 'Every provider of a stack defines the variables of stack.yaml standard.variables with compatible schemas.' }));
      continue;
    }
    const why = incompatibility(signature(declared), signature(p.variables.get(name)));
    if (why) out.push(issueAt(p.model.object, `/spec/variables/${index}/schema/openAPIV3Schema`, { code: 'STANDARD_VARIABLE_INCOMPATIBLE', message: `[${p.provider}] ${origin} "${name}": ${why}` }));
    const required = p.model.variables[index]?.required === true;
    if (required !== (declared.required === true)) {
      const message = required ? `is required; a portable Cluster may omit it` : `is declared required but the ClusterClass does not require it`;
      out.push(issueAt(p.model.object, `/spec/variables/${index}/required`, { code: 'STANDARD_VARIABLE_REQUIRED', message: `[${p.provider}] ${origin} "${name}" ${message}`, hint: required ? 'Make it optional with a default.' : 'Mark it required in every provider, or drop required from the declaration.' }));
    }
  }
}

/** A declaration as comparable text: its type signature (keys sorted) and whether it is required. */
function variant(v: StandardVariable | undefined): string {
  if (!v) return 'undeclared';
  const sorted = (s: unknown): unknown => (Array.isArray(s) ? s.map(sorted) : isJsonObject(s) ? Object.fromEntries(Object.keys(s).sort().map((k) => [k, sorted(s[k])])) : s);
  const sig = signature(v);
  return `${typeof sig === 'string' ? sig : JSON.stringify(sorted(sig))}${v.required === true ? ' (required)' : ''}`;
}

function differsMessage(name: string, key: string, common: string, agree: Declared[]): string {
  const others = agree.map((d) => d.provider.provider).join(', ');
  const verb = (plural: string, singular: string): string => (agree.length > 1 ? plural : singular);
  if (key === 'undeclared') return `does not declare standard variable "${name}", which ${others} ${verb('declare', 'declares')} as ${common}`;
  if (common === 'undeclared') return `declares standard variable "${name}" (${key}), which ${others} ${verb('do', 'does')} not declare`;
  return `declares standard variable "${name}" as ${key}; ${others} ${verb('declare', 'declares')} it as ${common}`;
}

/** Providers of one stack that declare different interfaces: each one that differs from the most common declaration. */
function checkInterfaces(all: Declared[], out: ValidationIssue[]): void {
  const declaring = all.filter((d) => d.source === 'stack.yaml');
  if (declaring.length < 2) return;
  const names = [...new Set(declaring.flatMap((d) => Object.keys(d.variables)))].sort();
  for (const name of names) {
    const byVariant = new Map<string, Declared[]>();
    for (const d of declaring) {
      const key = variant(d.variables[name]);
      byVariant.set(key, [...(byVariant.get(key) ?? []), d]);
    }
    if (byVariant.size < 2) continue;
    // The most common declaration wins; on a tie, a declaration wins over its absence, else the first provider's.
    const [common, agree] = [...byVariant].reduce((a, b) => (b[1].length > a[1].length || (b[1].length === a[1].length && a[0] === 'undeclared') ? b : a));
    for (const [key, list] of byVariant) {
      if (key === common) continue;
      for (const { provider: p } of list) {
        out.push({ severity: 'error', code: 'STANDARD_INTERFACE_DIFFERS', message: `[${p.provider}] ${differsMessage(name, key, common, agree)}`, hint: 'Every provider of a stack declares the same standard.variables in stack.yaml.', location: stackLocation(p, key === 'undeclared' ? '/standard/variables' : `/standard/variables/${name}`) });
      }
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
  const declared = input.providers.map((p) => declaredInterface(p, out));
  checkInterfaces(declared, out);
  for (const d of declared) {
    const p = d.provider;
    checkVariables(d, out);
    if (input.example) checkExample(p, input.example, input.catalog, out);
    checkStorage(p, input.providers, out);
    checkAnnotations(p, input.providers, out);
  }
  return out;
}
