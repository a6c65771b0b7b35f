import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../../core/errors.js';
import { formatIssue } from '../../core/log.js';
import { captureLog, sampleRelease, writeReleaseFiles } from '../../testing/github-fake/harness.js';
import { startFakeGithub, type FakeGithub } from '../../testing/github-fake/server.js';
import { publishGithubRelease, type GithubReleaseFile } from './index.js';

const SENTINEL = 'ghp_SENTINEL_do_not_print_4f2a9c';
let fake: FakeGithub;
let files: GithubReleaseFile[];

/** Everything a run could show a person: log lines, the result or the error with its causes. */
async function everythingPrinted(token: string, tag: string): Promise<{ text: string; error?: PipelineError }> {
  const { log, lines } = captureLog();
  try {
    const result = await publishGithubRelease({ owner: 'acme', repo: 'stacks', tag, files, token, baseUrl: fake.apiUrl, log, retryBaseMs: 1, minWriteIntervalMs: 0 });
    return { text: [...lines, JSON.stringify(result)].join('\n') };
  } catch (e) {
    const error = e as PipelineError;
    const shown = [error.message, error.details ?? '', formatIssue({ severity: 'error', code: error.code, message: error.message, hint: error.details }), inspect(error, { depth: 6 })];
    return { text: [...lines, ...shown].join('\n'), error };
  }
}

beforeAll(async () => {
  fake = await startFakeGithub({ token: SENTINEL });
  files = (await writeReleaseFiles(sampleRelease('openstack-scs2-1-34-v1'))).files;
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.violations).toEqual([]);
});

describe('the token is never printed', () => {
  it('in a successful verbose run', async () => {
    const { text, error } = await everythingPrinted(SENTINEL, 'openstack-scs2-1-34-v1');
    expect(error).toBeUndefined();
    expect(text).toMatch(/published openstack-scs2-1-34-v1/);
    expect(text).not.toContain(SENTINEL);
    expect(fake.requests.filter((r) => r.host === 'api').every((r) => r.authorization)).toBe(true);
  });

  it('when GitHub echoes it back in an error', async () => {
    fake.setFaults([{ operationId: 'repos/list-releases', times: 4, action: { kind: 'status', status: 500, message: `token ${SENTINEL} (${encodeURIComponent(SENTINEL)}) rejected` } }]);
    const { text, error } = await everythingPrinted(SENTINEL, 'openstack-scs2-1-34-v2');
    fake.setFaults([]);
    expect(error).toMatchObject({ code: 'GITHUB_API', exitCode: 2 });
    expect(error?.message).toContain('token *** (***) rejected');
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain(encodeURIComponent(SENTINEL));
  });

  it('when the token is wrong (exit 1, no token in the message)', async () => {
    const wrong = `${SENTINEL}_wrong`;
    const { text, error } = await everythingPrinted(wrong, 'openstack-scs2-1-34-v3');
    expect(error).toMatchObject({ code: 'GITHUB_UNAUTHORIZED', exitCode: 1 });
    expect(text).not.toContain(SENTINEL);
  });
});
