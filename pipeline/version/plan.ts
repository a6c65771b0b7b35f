/**
 * Decides the versions of the next release from the stack's hashes and the previous release (release-format.md
 * §14). Like csctl, except: a cluster-class-only change is a new stable release, and an unchanged stack
 * yields `action: 'none'` instead of an error.
 */
import { ValidationFailed, type Issue } from '../core/errors.js';
import type { StackHashes } from './stack-hashes.js';
import { formatVersion, parseVersion, validateVersion } from './versions.js';

/** csctl's `-m` modes. */
export type VersionMode = 'hash' | 'stable' | 'custom';

/** The three versions a release carries, all in dot form (`metadata.yaml`). */
export interface ComponentVersions {
  clusterStack: string;
  clusterAddon: string;
  nodeImage: string;
}

/** What csp knows about the latest release of the same channel, provider, stack and Kubernetes minor. */
export interface PreviousRelease {
  versions: ComponentVersions;
  /** From its `hashes.json`; csctl releases lack `clusterClassDir`, old ones `clusterAddonValues`. */
  hashes: Partial<StackHashes>;
}

export interface PlanVersionsInput {
  mode: VersionMode;
  hashes: StackHashes;
  previous?: PreviousRelease;
  /** Required in `custom` mode, dot form. */
  custom?: ComponentVersions;
}

export type HashKey = keyof StackHashes;

/** One hash that differs from the previous release. */
export interface HashChange {
  key: HashKey;
  previous: string;
  current: string;
}

/** The decision: release these versions, or nothing changed. `why` explains each version. */
export interface VersionPlan {
  action: 'release' | 'none';
  mode: VersionMode;
  versions: ComponentVersions;
  changes: HashChange[];
  why: Record<keyof ComponentVersions, string>;
  /** Warnings and notes (errors are thrown as ValidationFailed). */
  issues: Issue[];
}

const hashKeys: HashKey[] = ['clusterStack', 'clusterAddonDir', 'clusterAddonValues', 'clusterClassDir', 'nodeImageDir'];

/**
 * Hashes that moved. A missing key reads as "" as Go's json.Unmarshal does for csctl, except
 * `clusterClassDir` (csctl never wrote it: unknown, not compared) and a wholly missing `hashes.json`.
 */
export function diffHashes(previous: Partial<StackHashes>, current: StackHashes): HashChange[] {
  if (previous.clusterStack === undefined) return [];
  const changes: HashChange[] = [];
  for (const key of hashKeys) {
    const before = previous[key] ?? (key === 'clusterClassDir' ? undefined : '');
    if (before !== undefined && before !== current[key]) changes.push({ key, previous: before, current: current[key] });
  }
  return changes;
}

/** csctl hash-mode version: `v0-sha.` + the first 7 characters of the cleaned whole-stack hash. */
export function hashModeVersion(clusterStackHash: string): string {
  return `v0-sha.${clusterStackHash.slice(0, 7)}`;
}

/** Stable bump: `vN` → `vN+1`; undefined for a non-stable version (csctl would mangle its digits). */
export function bumpStable(version: string): string | undefined {
  const parsed = parseVersion(version, 'dot');
  if (!parsed || parsed.channel !== 'stable') return undefined;
  return formatVersion({ ...parsed, major: parsed.major + 1 }, 'dot');
}

/** Decides the next versions; throws ValidationFailed when the inputs cannot give a valid release. */
export function planVersions(input: PlanVersionsInput): VersionPlan {
  const changes = input.previous ? diffHashes(input.previous.hashes, input.hashes) : [];
  if (input.mode === 'hash') return planHash(input, changes);
  if (input.mode === 'custom') return planCustom(input, changes);
  return planStable(input, changes);
}

function moved(changes: HashChange[], ...keys: HashKey[]): HashKey[] {
  return changes.filter((c) => keys.includes(c.key)).map((c) => c.key);
}

function planHash(input: PlanVersionsInput, changes: HashChange[]): VersionPlan {
  if (!/^[a-z0-9]{7}/.test(input.hashes.clusterStack)) {
    throw new ValidationFailed([
      {
        severity: 'error',
        code: 'PLAN_HASH_MISSING',
        message: 'hash mode needs the cleaned clusterStack hash (at least 7 characters of [a-z0-9])',
        hint: 'Compute the hashes with computeStackHashes before planning.',
      },
    ]);
  }
  const version = hashModeVersion(input.hashes.clusterStack);
  const why = `hash mode: v0-sha. + first 7 characters of the clusterStack hash ${input.hashes.clusterStack}`;
  const same = input.previous?.versions.clusterStack === version && input.previous.hashes.clusterStack === input.hashes.clusterStack;
  return {
    action: same ? 'none' : 'release',
    mode: 'hash',
    versions: { clusterStack: version, clusterAddon: version, nodeImage: version },
    changes,
    why: { clusterStack: why, clusterAddon: why, nodeImage: why },
    issues: same ? [{ severity: 'note', code: 'PLAN_NOTHING_TO_RELEASE', message: `${version} already holds this exact stack content` }] : [],
  };
}

function planCustom(input: PlanVersionsInput, changes: HashChange[]): VersionPlan {
  const custom = input.custom;
  if (!custom) {
    throw new ValidationFailed([
      {
        severity: 'error',
        code: 'PLAN_CUSTOM_VERSIONS_MISSING',
        message: 'custom mode needs all three versions: cluster stack, cluster addon and node image',
        hint: 'Pass the cluster-stack, cluster-addon and node-image versions in dot form, e.g. v1-custom.1.',
      },
    ]);
  }
  const issues: Issue[] = [
    ...validateVersion(custom.clusterStack, 'dot', 'cluster-stack version'),
    ...validateVersion(custom.clusterAddon, 'dot', 'cluster-addon version'),
    ...validateVersion(custom.nodeImage, 'dot', 'node-image version'),
  ];
  const previous = input.previous;
  const sameContent = previous !== undefined && changes.length === 0 && previous.hashes.clusterStack !== undefined;
  if (previous && previous.versions.clusterStack === custom.clusterStack && !sameContent) {
    issues.push({
      severity: 'error',
      code: 'PLAN_VERSION_EXISTS',
      message: `cluster-stack version ${custom.clusterStack} is already released with different content`,
      hint: 'CSO never refreshes a downloaded release: choose a new cluster-stack version.',
    });
  }
  const addonMoved = moved(changes, 'clusterAddonDir', 'clusterAddonValues');
  if (previous && addonMoved.length > 0 && previous.versions.clusterAddon === custom.clusterAddon) {
    issues.push({
      severity: 'warning',
      code: 'PLAN_ADDON_NOT_BUMPED',
      message: `${addonMoved.join(' and ')} changed but the cluster-addon version stays ${custom.clusterAddon}`,
      hint: 'CSO re-applies addons only when components.clusterAddon changes; give it a new version.',
    });
  }
  if (issues.some((i) => i.severity === 'error')) throw new ValidationFailed(issues, 'custom versions are not usable');
  const unchanged = sameContent && previous?.versions.clusterStack === custom.clusterStack;
  const why = 'custom mode: given explicitly';
  return {
    action: unchanged ? 'none' : 'release',
    mode: 'custom',
    versions: { ...custom },
    changes,
    why: { clusterStack: why, clusterAddon: why, nodeImage: why },
    issues,
  };
}

function bumper(issues: Issue[]): (label: string, version: string) => string {
  return (label, version) => {
    const next = bumpStable(version);
    if (next) return next;
    issues.push({
      severity: 'error',
      code: 'PLAN_PREVIOUS_NOT_STABLE',
      message: `previous ${label} version ${JSON.stringify(version)} is not a stable vN version`,
      hint: 'Stable mode bumps vN to vN+1; use custom mode to leave a non-stable line.',
    });
    return version;
  };
}

/** The previous release has no usable `hashes.json`: nothing can be compared, so every version is bumped. */
function planStableUnknown(prev: ComponentVersions): VersionPlan {
  const issues: Issue[] = [];
  const bump = bumper(issues);
  const versions: ComponentVersions = {
    clusterStack: bump('cluster-stack', prev.clusterStack),
    clusterAddon: bump('cluster-addon', prev.clusterAddon),
    nodeImage: prev.nodeImage === '' ? 'v1' : bump('node-image', prev.nodeImage),
  };
  if (issues.length > 0) throw new ValidationFailed(issues, 'cannot bump the previous release');
  const why = `bumped from the previous release: its hashes are unknown`;
  return {
    action: 'release',
    mode: 'stable',
    versions,
    changes: [],
    why: { clusterStack: why, clusterAddon: why, nodeImage: prev.nodeImage === '' ? 'set to v1: the previous release had no node-image version' : why },
    issues: [
      {
        severity: 'warning',
        code: 'PLAN_PREVIOUS_HASHES_MISSING',
        message: `the previous release ${prev.clusterStack} has no hashes.json clusterStack hash; every component is bumped`,
        hint: 'Releases made by csp or csctl carry hashes.json; check the previous release\'s assets.',
      },
    ],
  };
}

function planStable(input: PlanVersionsInput, changes: HashChange[]): VersionPlan {
  const previous = input.previous;
  if (!previous) {
    const why = 'first stable release';
    return {
      action: 'release',
      mode: 'stable',
      versions: { clusterStack: 'v1', clusterAddon: 'v1', nodeImage: 'v1' },
      changes: [],
      why: { clusterStack: why, clusterAddon: why, nodeImage: why },
      issues: [],
    };
  }
  const prev = previous.versions;
  if (previous.hashes.clusterStack === undefined) return planStableUnknown(prev);
  if (changes.length === 0) {
    const why = 'unchanged: every recorded hash matches the previous release';
    return {
      action: 'none',
      mode: 'stable',
      versions: { ...prev },
      changes,
      why: { clusterStack: why, clusterAddon: why, nodeImage: why },
      issues: [{ severity: 'note', code: 'PLAN_NOTHING_TO_RELEASE', message: `nothing changed since ${prev.clusterStack}` }],
    };
  }
  const issues: Issue[] = [];
  const bump = bumper(issues);
  const addonMoved = moved(changes, 'clusterAddonDir', 'clusterAddonValues');
  const imageMoved = moved(changes, 'nodeImageDir');
  const allMoved = changes.map((c) => c.key).join(', ');
  const versions: ComponentVersions = {
    clusterStack: bump('cluster-stack', prev.clusterStack),
    clusterAddon: addonMoved.length > 0 ? bump('cluster-addon', prev.clusterAddon) : prev.clusterAddon,
    // An empty nodeImage invalidates a release in CSO (§6): start it at v1 rather than carrying "".
    nodeImage: imageMoved.length > 0 || prev.nodeImage === '' ? (prev.nodeImage === '' ? 'v1' : bump('node-image', prev.nodeImage)) : prev.nodeImage,
  };
  if (issues.length > 0) throw new ValidationFailed(issues, 'cannot bump the previous release');
  return {
    action: 'release',
    mode: 'stable',
    versions,
    changes,
    why: {
      clusterStack: `bumped from ${prev.clusterStack}: ${allMoved} changed`,
      clusterAddon: addonMoved.length > 0 ? `bumped from ${prev.clusterAddon}: ${addonMoved.join(', ')} changed` : 'kept: cluster-addon hashes unchanged',
      nodeImage:
        prev.nodeImage === ''
          ? 'set to v1: the previous release had no node-image version'
          : imageMoved.length > 0
            ? `bumped from ${prev.nodeImage}: nodeImageDir changed`
            : 'kept: nodeImageDir unchanged',
    },
    issues,
  };
}
