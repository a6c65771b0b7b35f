/** Plain-data input of the validate stage: the objects the render stage produced (types owned by render). */

import type { JsonObject, RenderedObject } from '../render/index.js';

export type { JsonObject, RenderedObject };

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
