/**
 * `helm template --include-crds`, which CSO passes for cluster-addon charts: every `crds/*.{yaml,yml,json}`
 * file of the chart and its subcharts, printed raw before the templates (helm/helm pkg/chart/chart.go
 * `CRDObjects`, pkg/action/install.go `renderResources`).
 */
import type { HelmChart, RenderedManifest } from '../helm/index.js';

/** CRD files as manifests, named `<chart>/crds/x.yaml` (`<chart>/charts/<sub>/crds/…` for subcharts). */
export function crdManifests(chart: HelmChart, fullPath: string = chart.metadata.name): RenderedManifest[] {
  const out: RenderedManifest[] = [];
  for (const f of chart.files) {
    if (!f.name.startsWith('crds/') || !/\.(ya?ml|json)$/.test(f.name)) continue;
    const source = `${fullPath}/${f.name}`;
    out.push({ source, content: f.data.toString('utf8'), template: source, kind: 'CustomResourceDefinition' });
  }
  for (const dep of chart.dependencies) out.push(...crdManifests(dep, `${fullPath}/charts/${dep.metadata.name}`));
  return out;
}
