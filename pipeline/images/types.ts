/** Data the images stage reads and returns: recipes, plan items and image records (all JSON-serialisable). */

/** One recipe target (images/<recipe>/recipe.yaml `targets.<name>`). */
export interface RecipeTarget {
  template: string;
  builder: 'qemu' | 'openstack' | 'hcloud';
  providers: string[];
  format: 'qcow2' | 'raw' | 'snapshot';
  packer: string;
  base?: string;
  variables?: Record<string, string>;
}

/** recipe.yaml as typed data (schemas/image-recipe.schema.json is the source of truth). */
export interface RecipeConfig {
  apiVersion: 'csp.scs.community/v1alpha1';
  kind: 'ImageRecipe';
  description?: string;
  os: { name: 'ubuntu' | 'debian' | 'flatcar'; version: string };
  kernel: string;
  cgroup: { version: 'v1' | 'v2'; driver: 'systemd' | 'cgroupfs' };
  cri: { name: 'containerd' | 'cri-o'; version: string };
  ociRuntime: 'runc' | 'crun';
  debRevision?: string;
  plugins?: string;
  rebuildEpoch?: number;
  variables?: Record<string, string>;
  targets: Record<string, RecipeTarget>;
}

/** A loaded recipe: its config, folder and the sha256 of every file (relative path → hex). */
export interface Recipe {
  name: string;
  dir: string;
  config: RecipeConfig;
  files: Record<string, string>;
  /** Plugin name → exact version pinned in the plugins file. */
  plugins: Record<string, string>;
}

/** What names one image: the plan item that asks for it and the record of its build share these. */
export interface ImageIdentity {
  /** Immutable, content-addressed name, e.g. debian-12-kube-v1.32.5-1a2b3c4d. */
  name: string;
  recipe: string;
  target: string;
  builder: RecipeTarget['builder'];
  providers: string[];
  kubernetes: string;
  /** Rebuild key (node-images.md §7). */
  key: string;
}

/** One image the stacks need: recipe × target × Kubernetes patch, with its rebuild key. */
export interface ImagePlanItem extends ImageIdentity {
  /** (provider, minor) pairs as "provider/1.32", for reports. */
  minor: string;
  /** Stacks (display folders) that need this image. */
  stacks: string[];
  action: 'build' | 'exists';
  /** Why: the record that has this key, or that none has. */
  why: string;
}

/** Result of planning images. */
export interface ImagePlan {
  items: ImagePlanItem[];
  /** Stacks without a recipe, and why (docker uses the kind node image, for example). */
  external: { stack: string; provider: string; kubernetes: string; image?: string; reason: string }[];
}

/** Where a built image lives. */
export interface ImageLocation {
  /** Local file (qcow2/raw) while it is not published. */
  file?: string;
  /** Download URL (registry blob URL once published). */
  url?: string;
  glanceId?: string;
  snapshotId?: string;
}

/** What csp knows about one built image: releases/images/<name>.json. */
export interface ImageRecord extends ImageIdentity {
  apiVersion: 'csp.scs.community/v1alpha1';
  kind: 'ImageRecord';
  format: RecipeTarget['format'];
  sha256?: string;
  size?: number;
  location: ImageLocation;
  buildDate: string;
  packer: { version: string; plugins: Record<string, string> };
  recipeCommit?: string;
  /** Set by csp images publish. */
  published?: { repository: string; tag: string; digest: string; url: string; mediaType: string };
}
