/**
 * The release operations the fake GitHub implements, keyed by OpenAPI `operationId`, with the behaviour
 * the spec does not describe: drafts hidden from get-by-tag and from anonymous callers, 422
 * `already_exists` for duplicate tags and asset names, immutable releases, `Link` pagination, 302 downloads.
 */
import { randomBytes } from 'node:crypto';
import { gitHandlers } from './git-handlers.js';
import { assetJson, githubAssetName, releaseJson, type FakeRelease, type FakeStore, type FakeUrls } from './state.js';

/** What a handler gets: decoded parameters, the parsed body and who is asking. */
export interface HandlerContext {
  store: FakeStore;
  urls: FakeUrls;
  params: Record<string, string>;
  query: URLSearchParams;
  path: string;
  json: Record<string, unknown>;
  raw: Buffer;
  contentType: string | undefined;
  accept: string;
  /** True when the request carried the configured token (push access). */
  authenticated: boolean;
  /** Creates a one-time download location for an asset (the "objects" host). */
  signDownload(assetId: number): string;
}

/** What a handler answers. */
export interface HandlerResult {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

type Handler = (ctx: HandlerContext) => HandlerResult;

const DOCS = 'https://docs.github.com/rest/releases';

function notFound(): HandlerResult {
  return { status: 404, json: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

function invalid(resource: string, field: string, code: string, message?: string): HandlerResult {
  return {
    status: 422,
    json: { message: 'Validation Failed', documentation_url: DOCS, status: '422', errors: [{ resource, field, code, ...(message ? { message } : {}) }] },
  };
}

function visible(ctx: HandlerContext, release: FakeRelease): boolean {
  return !release.draft || ctx.authenticated;
}

function repoReleases(ctx: HandlerContext): FakeRelease[] | undefined {
  const { owner, repo } = ctx.params as { owner: string; repo: string };
  if (!ctx.store.hasRepo(owner, repo)) return undefined;
  return ctx.store.releasesOf(owner, repo).filter((r) => visible(ctx, r));
}

function release(ctx: HandlerContext): FakeRelease | undefined {
  const found = ctx.store.findRelease(ctx.params.owner!, ctx.params.repo!, Number(ctx.params.release_id));
  return found && visible(ctx, found) ? found : undefined;
}

function paginate<T>(ctx: HandlerContext, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30), 1), 100);
  const pageNo = Math.max(Number(ctx.query.get('page') ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (page: number, rel: string) => {
    const q = new URLSearchParams(ctx.query);
    q.set('per_page', String(perPage));
    q.set('page', String(page));
    return `<${ctx.urls.api}${ctx.path}?${q}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'));
  if (pageNo > 1) links.push(link(1, 'first'), link(pageNo - 1, 'prev'));
  return { page: items.slice((pageNo - 1) * perPage, pageNo * perPage), headers: links.length ? { link: links.join(', ') } : {} };
}

function tagOwner(ctx: HandlerContext, tag: string, except?: number): FakeRelease | undefined {
  return ctx.store.releasesOf(ctx.params.owner!, ctx.params.repo!).find((r) => !r.draft && r.tagName === tag && r.id !== except);
}

function burnt(ctx: HandlerContext, tag: string): boolean {
  return ctx.store.burntTags.has(`${ctx.params.owner}/${ctx.params.repo}@${tag}`.toLowerCase());
}

function publish(ctx: HandlerContext, rel: FakeRelease): HandlerResult | undefined {
  if (burnt(ctx, rel.tagName)) return invalid('Release', 'tag_name', 'custom', 'tag_name was used by an immutable release');
  if (tagOwner(ctx, rel.tagName, rel.id)) return invalid('Release', 'tag_name', 'already_exists');
  rel.draft = false;
  rel.publishedAt = ctx.store.now();
  rel.immutable = ctx.store.options.immutableReleases;
  return undefined;
}

function lockedAsset(rel: FakeRelease): HandlerResult | undefined {
  return rel.immutable ? invalid('ReleaseAsset', 'release', 'custom', 'Cannot modify assets of an immutable release') : undefined;
}

const handlers: Record<string, Handler> = {
  'repos/list-releases'(ctx) {
    const releases = repoReleases(ctx);
    if (!releases) return notFound();
    const { page, headers } = paginate(ctx, [...releases].sort((a, b) => b.id - a.id));
    return { status: 200, json: page.map((r) => releaseJson(ctx.urls, r)), headers };
  },
  'repos/get-latest-release'(ctx) {
    const latest = (repoReleases(ctx) ?? []).filter((r) => !r.draft && !r.prerelease).sort((a, b) => b.id - a.id)[0];
    return latest ? { status: 200, json: releaseJson(ctx.urls, latest) } : notFound();
  },
  'repos/get-release-by-tag'(ctx) {
    // Published releases only, even for callers with push access.
    const found = (repoReleases(ctx) ?? []).find((r) => !r.draft && r.tagName === ctx.params.tag);
    return found ? { status: 200, json: releaseJson(ctx.urls, found) } : notFound();
  },
  'repos/get-release'(ctx) {
    const rel = release(ctx);
    return rel ? { status: 200, json: releaseJson(ctx.urls, rel) } : notFound();
  },
  'repos/create-release'(ctx) {
    if (!repoReleases(ctx)) return notFound();
    const tag = String(ctx.json.tag_name);
    if (burnt(ctx, tag)) return invalid('Release', 'tag_name', 'custom', 'tag_name was used by an immutable release');
    if (tagOwner(ctx, tag)) return invalid('Release', 'tag_name', 'already_exists');
    const rel: FakeRelease = {
      id: ctx.store.id(),
      owner: ctx.params.owner!,
      repo: ctx.params.repo!,
      tagName: tag,
      name: typeof ctx.json.name === 'string' ? ctx.json.name : null,
      body: typeof ctx.json.body === 'string' ? ctx.json.body : null,
      draft: true,
      prerelease: ctx.json.prerelease === true,
      immutable: false,
      targetCommitish: typeof ctx.json.target_commitish === 'string' ? ctx.json.target_commitish : 'main',
      createdAt: ctx.store.now(),
      publishedAt: null,
      assets: [],
    };
    if (ctx.json.draft !== true) {
      const refused = publish(ctx, rel);
      if (refused) return refused;
    }
    ctx.store.releases.push(rel);
    return { status: 201, json: releaseJson(ctx.urls, rel), headers: { location: `${ctx.urls.api}/repos/${rel.owner}/${rel.repo}/releases/${rel.id}` } };
  },
  'repos/update-release'(ctx) {
    const rel = release(ctx);
    if (!rel) return notFound();
    const j = ctx.json;
    if (rel.immutable && (j.draft === true || (typeof j.tag_name === 'string' && j.tag_name !== rel.tagName))) {
      return invalid('Release', 'tag_name', 'custom', 'Immutable releases cannot change their tag or return to draft');
    }
    if (typeof j.tag_name === 'string' && j.tag_name !== rel.tagName) {
      if (!rel.draft && tagOwner(ctx, j.tag_name, rel.id)) return invalid('Release', 'tag_name', 'already_exists');
      rel.tagName = j.tag_name;
    }
    if (typeof j.name === 'string') rel.name = j.name;
    if (typeof j.body === 'string') rel.body = j.body;
    if (typeof j.prerelease === 'boolean') rel.prerelease = j.prerelease;
    if (typeof j.target_commitish === 'string') rel.targetCommitish = j.target_commitish;
    if (j.draft === false && rel.draft) {
      const refused = publish(ctx, rel);
      if (refused) return refused;
    } else if (j.draft === true && !rel.draft) {
      rel.draft = true;
      rel.publishedAt = null;
    }
    return { status: 200, json: releaseJson(ctx.urls, rel) };
  },
  'repos/delete-release'(ctx) {
    const rel = release(ctx);
    if (!rel) return notFound();
    if (rel.immutable) ctx.store.burntTags.add(`${rel.owner}/${rel.repo}@${rel.tagName}`.toLowerCase());
    ctx.store.releases.splice(ctx.store.releases.indexOf(rel), 1);
    return { status: 204 };
  },
  'repos/list-release-assets'(ctx) {
    const rel = release(ctx);
    if (!rel) return notFound();
    const { page, headers } = paginate(ctx, rel.assets);
    return { status: 200, json: page.map((a) => assetJson(ctx.urls, rel, a)), headers };
  },
  'repos/upload-release-asset'(ctx) {
    const rel = release(ctx);
    if (!rel) return notFound();
    const locked = lockedAsset(rel);
    if (locked) return { ...locked, json: { message: 'Cannot upload assets to an immutable release', documentation_url: DOCS } };
    if (!ctx.contentType) return { status: 400, json: { message: 'Bad Content-Type header', documentation_url: DOCS } };
    const name = githubAssetName(ctx.query.get('name') ?? '');
    if (rel.assets.some((a) => a.name === name)) return invalid('ReleaseAsset', 'name', 'already_exists');
    const asset = ctx.store.addAsset(rel, name, ctx.raw, ctx.contentType, ctx.query.get('label'));
    return { status: 201, json: assetJson(ctx.urls, rel, asset) };
  },
  'repos/get-release-asset'(ctx) {
    const found = ctx.store.findAsset(ctx.params.owner!, ctx.params.repo!, Number(ctx.params.asset_id));
    if (!found || !visible(ctx, found.release)) return notFound();
    if (ctx.accept.includes('application/octet-stream')) return { status: 302, headers: { location: ctx.signDownload(found.asset.id) } };
    return { status: 200, json: assetJson(ctx.urls, found.release, found.asset) };
  },
  'repos/update-release-asset'(ctx) {
    const found = ctx.store.findAsset(ctx.params.owner!, ctx.params.repo!, Number(ctx.params.asset_id));
    if (!found || !visible(ctx, found.release)) return notFound();
    const locked = lockedAsset(found.release);
    if (locked) return locked;
    if (typeof ctx.json.name === 'string') found.asset.name = githubAssetName(ctx.json.name);
    if (typeof ctx.json.label === 'string') found.asset.label = ctx.json.label;
    return { status: 200, json: assetJson(ctx.urls, found.release, found.asset) };
  },
  'repos/delete-release-asset'(ctx) {
    const found = ctx.store.findAsset(ctx.params.owner!, ctx.params.repo!, Number(ctx.params.asset_id));
    if (!found || !visible(ctx, found.release)) return notFound();
    const locked = lockedAsset(found.release);
    if (locked) return locked;
    found.release.assets.splice(found.release.assets.indexOf(found.asset), 1);
    return { status: 204 };
  },
};

/** The handler for an operation, or undefined when the fake does not implement it. */
export function handlerFor(operationId: string): Handler | undefined {
  if (Object.hasOwn(gitHandlers, operationId)) return gitHandlers[operationId];
  return Object.hasOwn(handlers, operationId) ? handlers[operationId] : undefined;
}

/** A random path segment for signed download locations. */
export function downloadToken(): string {
  return randomBytes(12).toString('hex');
}
