/** Container images referenced by rendered objects (pod specs at any depth), for the SBOM. */

const containerLists = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Every `image` of every container list found anywhere in `docs`, sorted and de-duplicated. */
export function containerImages(docs: readonly unknown[]): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (containerLists.has(key) && Array.isArray(value)) {
        for (const c of value) {
          const image = (c as { image?: unknown } | null)?.image;
          if (typeof image === 'string' && image.trim() !== '') found.add(image.trim());
        }
      }
      visit(value);
    }
  };
  visit(docs);
  return [...found].sort();
}

/** An image reference split into repository, tag and digest (`registry/repo:tag@sha256:…`). */
export function splitImage(ref: string): { repository: string; tag?: string; digest?: string } {
  const [withTag = '', digest] = ref.split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  const hasTag = colon > slash;
  return { repository: hasTag ? withTag.slice(0, colon) : withTag, tag: hasTag ? withTag.slice(colon + 1) : undefined, digest };
}
