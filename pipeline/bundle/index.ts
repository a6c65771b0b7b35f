/** Stage `bundle`: reproducible chart archives, tar/gzip, release assets and the OCI manifest and layout of a CSO bundle. */
export { readTgz, type TarReadLimits } from '../core/tar-read.js';
export { buildAddonArchive, buildAddonArchiveToFile, buildUmbrellaAddonArchive, buildUmbrellaAddonArchiveToFile } from './addon-archive.js';
export { buildHashesJson, buildMetadataYaml, buildSha256Sums } from './assets.js';
export { packageChart, packageChartToFile, type ChartFile } from './chart-archive.js';
export { buildBundleManifest, fileDescriptor, layerMediaType, refNameAnnotation, type BundleFile } from './oci-manifest.js';
export { addBundle, readLayout } from './oci-layout.js';
export { sanitizeString } from './chart-yaml.js';
export { gzip, gzipToFile } from './gzip.js';
export { tarChunks, writeTar } from './tar.js';
export { isIgnored, parseHelmIgnore, type HelmIgnore } from './helmignore.js';
