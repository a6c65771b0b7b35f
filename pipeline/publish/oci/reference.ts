/** Parsing and printing OCI references: `[oci://]host[:port]/repo[:tag][@sha256:…]`. Pure. */
import { UserInputError } from '../../core/errors.js';
import { isDigest } from './digest.js';

/** A parsed reference; `tag` and `digest` are both optional (a bare repository is allowed). */
export interface Reference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;

/** Parses a reference; the registry host is required (no Docker Hub defaulting). */
export function parseReference(input: string): Reference {
  const text = input.trim().replace(/^oci:\/\//, '');
  // user:password@ before the host is never printed back, whatever else is wrong with the reference.
  const userinfo = /^[^/]*@/.exec(text);
  const shown = userinfo ? input.trim().replace(userinfo[0], '***@') : input;
  const fail = (why: string): never => {
    throw new UserInputError('OCI_REFERENCE_INVALID', `invalid OCI reference "${shown}": ${why}`, {
      details: 'Write it as host[:port]/repository[:tag][@sha256:<hex>], e.g. registry.example.com/kaas/cluster-stacks:openstack-scs-1-30-v1.',
    });
  };
  if (userinfo) return fail('credentials do not belong in a reference (they would end up in logs and records)');
  const slash = text.indexOf('/');
  if (slash < 0) return fail('no registry host');
  const registry = text.slice(0, slash);
  if (!HOST.test(registry) || !(registry.includes('.') || registry.includes(':') || registry === 'localhost')) {
    return fail(`"${registry}" is not a registry host (it needs a dot, a port or to be localhost)`);
  }
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) return fail(`"${digest}" is not a sha256 digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isTag(tag)) return fail(`"${tag}" is not a valid tag`);
  }
  if (!rest || rest.length > 255 || !rest.split('/').every((c) => COMPONENT.test(c))) {
    return fail(`"${rest}" is not a valid repository name (lowercase letters, digits and . _ - separators)`);
  }
  return { registry, repository: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** True for a valid tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
export function isTag(text: string): boolean {
  return TAG.test(text);
}

/** Throws OCI_TAG_INVALID unless `tag` is a valid tag. */
export function assertTag(tag: string): string {
  if (!isTag(tag)) {
    throw new UserInputError('OCI_TAG_INVALID', `"${tag}" is not a valid OCI tag`, {
      details: 'Tags use letters, digits, _ . - (first character not . or -) and are at most 128 characters.',
    });
  }
  return tag;
}

/** `host/repo[:tag][@digest]`. */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Loopback hosts get plain HTTP by default (test registries); everything else HTTPS. */
export function isLoopbackHost(registry: string): boolean {
  const host = registry.replace(/:[0-9]+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host);
}

/** The fallback tag of the referrers tag schema: `sha256-<hex>` (illegal characters become `-`). */
export function referrersTag(digest: string): string {
  const [alg = '', hex = ''] = digest.split(':');
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`.replace(/[^a-zA-Z0-9._-]/g, '-');
}
