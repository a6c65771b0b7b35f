/**
 * What the render stage produces for later stages: objects parsed from rendered manifests, each with the
 * template it came from and, when available, the rendered YAML text so JSON paths can be mapped to lines.
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
