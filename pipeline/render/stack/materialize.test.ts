import { describe, expect, it } from 'vitest';
import { rewriteChartYaml } from './materialize.js';

describe('rewriteChartYaml (csp build forces name and version of the cluster-class chart)', () => {
  it.each([
    ['plain', 'apiVersion: v2\nname: old\nversion: v1\n', 'apiVersion: v2\nname: new-cluster-class\nversion: v0-sha.abc1234\n'],
    ['comments and order kept', '# header\napiVersion: v2\nname: old # the name\ndescription: x\nversion: v1\n', '# header\napiVersion: v2\nname: new-cluster-class # the name\ndescription: x\nversion: v0-sha.abc1234\n'],
    ['missing version is added', 'apiVersion: v2\nname: old\n', 'apiVersion: v2\nname: new-cluster-class\nversion: v0-sha.abc1234\n'],
  ])('%s', (_label, input, expected) => {
    expect(rewriteChartYaml(input, { name: 'new-cluster-class', version: 'v0-sha.abc1234' })).toBe(expected);
  });
});
