/**
 * Plain-data input of the validate stage: objects the render stage produced, each with the template it
 * came from and, when available, the rendered YAML text so JSON paths can be mapped to lines.
 */

/** A JSON object as parsed from YAML. */
export type JsonObject = Record<string, unknown>;

/** One rendered Kubernetes object. */
export interface RenderedObject {
  source: {
    /** Template path inside the chart, e.g. `cluster-class/templates/cluster-class.yaml`. */
    file: string;
    /** One-based line in the template where the object starts, when known. */
    line?: number;
  };
  doc: JsonObject;
  /**
   * The rendered YAML stream this object was parsed from and the character offset where its document
   * starts; with it, issues point at the exact line of the rendered output (`file` names that output).
   */
  rendered?: { file?: string; text: string; offset?: number };
}

/** Kind, apiVersion, name and namespace of an object, read defensively. */
export interface ObjectIdentity {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Reads the identity fields of a document; missing or non-string fields are left undefined. */
export function identityOf(doc: JsonObject): ObjectIdentity {
  const meta = isJsonObject(doc.metadata) ? doc.metadata : {};
  return {
    apiVersion: typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined,
    kind: typeof doc.kind === 'string' ? doc.kind : undefined,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
  };
}

/** `Kind/name` for messages. */
export function describeObject(doc: JsonObject): string {
  const id = identityOf(doc);
  return `${id.kind ?? '<no kind>'}/${id.name ?? '<no name>'}`;
}

/** True for plain objects (not arrays, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON pointer (RFC 6901) for path segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
