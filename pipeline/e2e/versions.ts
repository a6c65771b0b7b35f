/**
 * Pinned versions of everything an e2e run installs. One place, recorded in every result and attestation, so a
 * passing attestation says exactly which management stack the bundle was tested on.
 */
import type { E2eVersions } from './types.js';

/**
 * kind v0.29.0 (as stacks/docker/scs/stack.yaml) with its node image for Kubernetes v1.33.1 (the management cluster), Cluster API and CAPD
 * v1.14.0 (the CRD versions csp validates against, schemas/sources.yaml), CSO v0.1.0-alpha.7.
 */
export const PINNED_VERSIONS: E2eVersions = {
  kind: 'v0.29.0',
  nodeImage: 'kindest/node:v1.33.1',
  clusterApi: 'v1.14.0',
  capd: 'v1.14.0',
  cso: 'v0.1.0-alpha.7',
  sonobuoy: 'v0.57.3',
};

/** Default time budget per phase (ms); a phase that does not finish in time fails as `timeout`. */
export const PHASE_TIMEOUTS_MS = {
  management: 10 * 60_000,
  stack: 10 * 60_000,
  cluster: 30 * 60_000,
  checks: 10 * 60_000,
  conformance: 60 * 60_000,
} as const;

/** Where CSO's local mode looks for release folders inside its container. */
export const CSO_LOCAL_DIR = '/tmp/downloads/cluster-stacks';

/** Where kind mounts the bundle folder inside the management node (CSO's pod mounts it from there). */
export const NODE_BUNDLE_DIR = '/csp-bundles';
