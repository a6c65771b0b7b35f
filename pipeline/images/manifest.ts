/**
 * Packer's manifest post-processor file and the checksum post-processor file (node-images.md §6). The manifest
 * appends across runs, so only the entries of `last_run_uuid` count.
 */
import { UserInputError } from '../core/errors.js';

export interface ManifestBuild {
  name: string;
  builderType: string;
  buildTime: number;
  files: { name: string; size: number }[];
  artifactId: string;
  customData: Record<string, string>;
}

/** The builds of the last run recorded in a manifest file's text. */
export function lastRunBuilds(text: string, file = 'packer-manifest.json'): ManifestBuild[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserInputError('PACKER_MANIFEST_INVALID', `${file} is not JSON`, { cause: error, details: 'Delete the manifest and rebuild.' });
  }
  const doc = parsed as { builds?: unknown; last_run_uuid?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.builds) || typeof doc.last_run_uuid !== 'string') {
    throw new UserInputError('PACKER_MANIFEST_INVALID', `${file} has no builds list or last_run_uuid`, { details: 'Is this a Packer manifest post-processor file?' });
  }
  const runId = doc.last_run_uuid;
  return doc.builds
    .filter((b: { packer_run_uuid?: unknown }) => b && b.packer_run_uuid === runId)
    .map((b: Record<string, unknown>) => ({
      name: String(b.name ?? ''),
      builderType: String(b.builder_type ?? ''),
      buildTime: Number(b.build_time ?? 0),
      files: Array.isArray(b.files) ? b.files.map((f: { name?: unknown; size?: unknown }) => ({ name: String(f.name ?? ''), size: Number(f.size ?? 0) })) : [],
      artifactId: String(b.artifact_id ?? ''),
      customData: b.custom_data && typeof b.custom_data === 'object' ? Object.fromEntries(Object.entries(b.custom_data).map(([k, v]) => [k, String(v)])) : {},
    }));
}

/** `<hex>\t<name>` (or sha256sum's two spaces) → hash per file name. */
export function parseChecksumFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m && m[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}
