/**
 * Checks requests to (and responses from) the fake GitHub API against `@octokit/openapi`'s
 * api.github.com.json: operation, server, path and query parameters, content type and JSON body.
 * The 13 MB spec is read once per process; ajv compiles one schema per operation on first use.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

/** The part of an OpenAPI document this checker reads. */
interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components: { parameters: Record<string, Parameter>; responses: Record<string, ResponseObject> };
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: { type?: string };
  'x-multi-segment'?: boolean;
  $ref?: string;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  servers?: Array<{ url: string }>;
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, ResponseObject>;
}

/** An operation matched to a request, with its decoded path parameters. */
export interface MatchedOperation {
  operationId: string;
  method: string;
  template: string;
  /** True for operations served from their own host (`servers`), i.e. uploads. */
  uploadsHost: boolean;
  pathParams: Record<string, string>;
}

/** What the validator needs to know about one request. */
export interface RequestToCheck {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}

interface Route {
  template: string;
  method: string;
  regex: RegExp;
  names: string[];
  literals: number[];
  pointer: string;
  op: Operation;
}

interface Loaded {
  spec: Spec;
  ajv: Ajv;
  routes: Route[];
  cache: Map<string, ValidateFunction>;
}

const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head']);
let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as Spec;
  typelessNullable(spec);
  // strict: false because of the x-github/x-octokit keywords; formats are not what we are checking.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(spec as object, 'gh');
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      routes.push(compileRoute(spec, template, method, op as Operation));
    }
  }
  loaded = { spec, ajv, routes, cache: new Map() };
  return loaded;
}

/**
 * ajv refuses `nullable: true` without `type` (e.g. `{nullable, allOf: [$ref]}` in the commit schema):
 * rewrite such nodes to `anyOf: [{type: null}, node]`, which means the same.
 */
function typelessNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(typelessNullable);
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Record<string, unknown>;
  for (const value of Object.values(obj)) typelessNullable(value);
  if (obj.nullable === true && obj.type === undefined) {
    const rest = { ...obj };
    delete rest.nullable;
    for (const key of Object.keys(obj)) delete obj[key];
    obj.anyOf = [{ type: 'null' }, rest];
  }
}

function compileRoute(spec: Spec, template: string, method: string, op: Operation): Route {
  const names: string[] = [];
  const literals: number[] = [];
  const params = resolveParameters(spec, op);
  const pattern = template
    .split('/')
    .map((segment) => {
      const m = /^\{(.+)\}$/.exec(segment);
      if (!m) {
        literals.push(1);
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      literals.push(0);
      names.push(m[1]!);
      const multi = params.find((p) => p.name === m[1])?.['x-multi-segment'];
      return multi ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { template, method: method.toUpperCase(), regex: new RegExp(`^${pattern}$`), names, literals, pointer: `/paths/${escapePointer(template)}/${method}`, op };
}

function resolveParameters(spec: Spec, op: Operation): Array<Parameter & { pointer: string }> {
  return (op.parameters ?? []).map((p, i) => {
    if (p.$ref) {
      const name = p.$ref.replace('#/components/parameters/', '');
      return { ...spec.components.parameters[name]!, pointer: `/components/parameters/${escapePointer(name)}` };
    }
    return { ...p, pointer: `#index:${i}` };
  });
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function validator(ref: string): ValidateFunction {
  const { ajv, cache } = load();
  let fn = cache.get(ref);
  if (!fn) {
    fn = ajv.compile({ $ref: `gh#${ref}` });
    cache.set(ref, fn);
  }
  return fn;
}

function errorsText(fn: ValidateFunction): string {
  return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`).join('; ');
}

/** Finds the spec operation for a method and path; the route with literal segments earliest wins. */
export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  const { routes } = load();
  let best: { route: Route; values: string[] } | undefined;
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    if (!best || moreSpecific(route.literals, best.route.literals)) best = { route, values: m.slice(1) };
  }
  if (!best) return undefined;
  const pathParams: Record<string, string> = {};
  best.route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(best.values[i] ?? '')));
  return {
    operationId: best.route.op.operationId,
    method: best.route.method,
    template: best.route.template,
    uploadsHost: (best.route.op.servers ?? []).length > 0,
    pathParams,
  };
}

function moreSpecific(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return a.length > b.length;
}

/** Every way the request departs from the spec (empty when it conforms). */
export function checkRequest(req: RequestToCheck): { operation?: MatchedOperation; problems: string[] } {
  const operation = matchOperation(req.method, req.path);
  if (!operation) return { problems: [`no operation in api.github.com.json for ${req.method} ${req.path}`] };
  const { spec, routes } = load();
  const route = routes.find((r) => r.template === operation.template && r.method === operation.method)!;
  const problems: string[] = [];
  const params = resolveParameters(spec, route.op);
  params.forEach((p, i) => {
    const schemaRef = p.pointer.startsWith('#index:') ? `${route.pointer}/parameters/${i}/schema` : `${p.pointer}/schema`;
    const raw = p.in === 'path' ? operation.pathParams[p.name] : p.in === 'query' ? req.query.get(p.name) ?? undefined : undefined;
    if (p.in !== 'path' && p.in !== 'query') return;
    if (raw === undefined) {
      if (p.required) problems.push(`${p.in} parameter ${p.name} is required`);
      return;
    }
    const value = coerce(raw, p.schema?.type);
    const fn = validator(schemaRef);
    const ok = value !== undefined && fn(value);
    if (!ok) problems.push(`${p.in} parameter ${p.name}=${JSON.stringify(raw)} does not match ${JSON.stringify(p.schema)}${value !== undefined ? `: ${errorsText(fn)}` : ''}`);
  });
  const known = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of new Set(req.query.keys())) if (!known.has(name)) problems.push(`query parameter ${name} is not defined for ${operation.operationId}`);
  problems.push(...checkBody(route, req));
  return { operation, problems };
}

function coerce(raw: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : undefined;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  return raw;
}

function checkBody(route: Route, req: RequestToCheck): string[] {
  const rb = route.op.requestBody;
  if (!rb) return req.body.length > 0 ? [`${route.op.operationId} takes no request body, got ${req.body.length} bytes`] : [];
  if (req.body.length === 0) return rb.required ? [`${route.op.operationId} requires a request body`] : [];
  const type = req.contentType?.split(';')[0]?.trim().toLowerCase();
  const types = Object.keys(rb.content);
  if (!type) return [`${route.op.operationId} body sent without Content-Type (expected ${types.join(' or ')})`];
  if (!types.includes('application/json')) return [];
  if (type !== 'application/json') return [`${route.op.operationId} expects application/json, got ${type}`];
  let json: unknown;
  try {
    json = JSON.parse(req.body.toString('utf8'));
  } catch {
    return [`${route.op.operationId} body is not JSON`];
  }
  const fn = validator(`${route.pointer}/requestBody/content/application~1json/schema`);
  return fn(json) ? [] : [`${route.op.operationId} request body: ${errorsText(fn)}`];
}

/** Problems with a response the fake is about to send (its JSON body against the spec's schema for the status). */
export function checkResponse(operation: MatchedOperation, status: number, body: unknown): string[] {
  const { spec, routes } = load();
  const route = routes.find((r) => r.template === operation.template && r.method === operation.method)!;
  let response = route.op.responses[String(status)];
  let pointer = `${route.pointer}/responses/${status}`;
  // GitHub answers 401/403/5xx on every route although the spec lists few of them.
  if (!response) return status >= 400 ? [] : [`${operation.operationId} has no documented ${status} response`];
  if (response.$ref) {
    const name = response.$ref.replace('#/components/responses/', '');
    response = spec.components.responses[name]!;
    pointer = `/components/responses/${escapePointer(name)}`;
  }
  if (!response.content?.['application/json']) return [];
  const fn = validator(`${pointer}/content/application~1json/schema`);
  return fn(body) ? [] : [`${operation.operationId} ${status} response: ${errorsText(fn)}`];
}

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
}

/**
 * A minimal value of `components/schemas/<name>` with every required field filled (null where
 * nullable, `https://fake.invalid/<field>` strings, 1, false, []), for responses the fake then fills in.
 */
export function sampleOf(name: string): Record<string, unknown> {
  const { spec } = load();
  const schemas = (spec.components as unknown as { schemas: Record<string, SchemaNode> }).schemas;
  const sample = (node: SchemaNode, field: string, depth: number): unknown => {
    if (node.$ref) return sample(schemas[node.$ref.replace('#/components/schemas/', '')]!, field, depth);
    if (node.allOf) return Object.assign({}, ...node.allOf.map((n) => sample(n, field, depth)));
    if (node.anyOf || node.oneOf) return sample((node.anyOf ?? node.oneOf)![0]!, field, depth);
    if (node.nullable) return null;
    if (node.enum) return node.enum[0];
    const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
    if (Array.isArray(node.type) && node.type.includes('null')) return null;
    if (type === 'object' || node.properties) {
      const out: Record<string, unknown> = {};
      if (depth > 6) return out;
      for (const key of node.required ?? []) out[key] = sample(node.properties?.[key] ?? {}, key, depth + 1);
      return out;
    }
    if (type === 'array') return [];
    if (type === 'integer' || type === 'number') return 1;
    if (type === 'boolean') return false;
    return `https://fake.invalid/${field}`;
  };
  return sample({ $ref: `#/components/schemas/${name}` }, name, 0) as Record<string, unknown>;
}
