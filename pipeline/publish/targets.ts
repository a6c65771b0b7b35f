/** The literal registry of publish targets (nothing is loaded by name). */
import { githubTarget } from './target-github.js';
import { layoutTarget } from './target-layout.js';
import { ociTarget } from './target-oci.js';
import type { PublishTarget, TargetImpl } from './types.js';

export const targetImpls: { [K in PublishTarget['kind']]: TargetImpl<Extract<PublishTarget, { kind: K }>> } = {
  'oci-layout': layoutTarget,
  oci: ociTarget,
  github: githubTarget,
};
