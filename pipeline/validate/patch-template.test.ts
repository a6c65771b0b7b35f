import { describe, expect, it } from 'vitest';
import { isBuiltinPath } from './builtins.js';
import { variablePathProblem } from './class-check.js';
import { checkPatchTemplate, parseTemplateOutput, renderPatchTemplate, templateFieldChains } from './patch-template.js';

describe('patch templates (CAPI layer 4)', () => {
  it.each<[string, string[]]>([
    ['{{ .a }}', ['a']],
    ['{{ if and .oidc .oidc.clientID }}true{{ end }}', ['oidc', 'oidc.clientID']],
    ['{{ range .list }}{{ .name }}{{ end }}', ['list']],
    ['{{ with .cfg }}{{ .inner }}{{ $.outer }}{{ end }}', ['cfg', 'outer']],
    ['{{ "a.b" }} {{/* .c */}}', []],
    ['{{ index .m "k" }}', ['m']],
    ['{{ .builtin.cluster.name }}', ['builtin.cluster.name']],
  ])('field chains of %s', (text, expected) => {
    expect(templateFieldChains(text).map((c) => c.join('.'))).toEqual(expected);
  });

  it.each<[string, string | undefined]>([
    ['{{ .a }}', undefined],
    ['{{ .a }', 'unexpected'],
    ['{{ nosuchfunc .a }}', 'function "nosuchfunc" not defined'],
    ['{{ env "HOME" }}', 'function "env" not defined'],
  ])('parse %s', (text, error) => {
    const result = checkPatchTemplate(text);
    if (error === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(error);
  });

  it('renders with the default missingkey and numbers as float64', () => {
    expect(renderPatchTemplate('{{ .missing }}', {})).toBe('<no value>');
    expect(renderPatchTemplate('{{ .n }}', { n: 3 })).toBe('3');
    expect(parseTemplateOutput('[a, b,]')).toEqual(['a', 'b']);
    expect(parseTemplateOutput('on')).toBe(true);
  });

  it.each<[string[], boolean]>([
    [['cluster', 'name'], true],
    [['cluster', 'metadata', 'labels', 'any-key'], true],
    [['cluster', 'network', 'pods', '0'], true],
    [['cluster', 'nope'], false],
    [['machineDeployment', 'topologyName'], true],
    [['controlPlane', 'replicas', 'x'], false],
  ])('builtin %j', (segments, ok) => {
    expect(isBuiltinPath(segments)).toBe(ok);
  });

  it.each<[(string | number)[], string | undefined]>([
    [['oidc'], undefined],
    [['oidc', 'clientID'], undefined],
    [['oidc', 'clientId'], '"clientId" is not a field of variable "oidc"'],
    [['nope'], 'variable "nope" is not defined in the ClusterClass'],
    [['builtin', 'cluster', 'topology', 'version'], undefined],
    [['builtin', 'cluster', 'flavor'], 'builtin.cluster.flavor is not a CAPI builtin variable'],
  ])('variable path %j', (segments, problem) => {
    const defined = new Map<string, unknown>([['oidc', { type: 'object', properties: { clientID: { type: 'string' } } }]]);
    expect(variablePathProblem(segments, defined)).toBe(problem);
  });
});
