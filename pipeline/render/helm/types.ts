/** The in-memory chart model Helm's loader builds (helm/helm pkg/chart): metadata, values, templates, files, subcharts. */
import type { GoMap } from '../template/values.js';

/** One file of a chart, path relative to the chart root with `/` separators. */
export interface ChartFile {
  name: string;
  /** The bytes; for a lazy file a getter that reads them from disk on each use. */
  data: Buffer;
  /** Set for a large file that is read only when a template asks for it (`.Files.Get` and friends). */
  lazy?: true;
}

/** A `dependencies[]` entry of Chart.yaml (Helm's chart.Dependency). */
export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

/** A maintainer entry of Chart.yaml. */
export interface ChartMaintainer {
  name?: string;
  email?: string;
  url?: string;
}

/** Chart.yaml as Helm's chart.Metadata keeps it (unknown keys dropped). */
export interface ChartMetadata {
  name: string;
  home?: string;
  sources?: string[];
  version: string;
  description?: string;
  keywords?: string[];
  maintainers?: ChartMaintainer[];
  icon?: string;
  apiVersion: string;
  condition?: string;
  tags?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  kubeVersion?: string;
  dependencies?: ChartDependency[];
  type?: string;
}

/** A loaded chart: what Helm's loader.Load returns. Subcharts come from `charts/` (folders and .tgz). */
export interface HelmChart {
  metadata: ChartMetadata;
  /** values.yaml parsed like sigs.k8s.io/yaml (numbers are float64). */
  values: GoMap;
  /** values.schema.json, when present. */
  schema?: Buffer;
  /** `templates/...` files in load order. */
  templates: ChartFile[];
  /** Every other file (served by `.Files`). */
  files: ChartFile[];
  /** Subcharts found in `charts/`, sorted by directory name. */
  dependencies: HelmChart[];
  /** Where it was loaded from, for error messages (`chart.tgz`, `dir/charts/sub`). */
  source: string;
}
