import { describe, expect, it } from 'vitest';
import { evaluateEnabledIf } from './dry-run.js';
import { checkVariableSchema } from './structural.js';
import { applyDefaults, checkVariableValue, defaultValueOf, lookupVariable, parseVariablePath, schemaAt } from './variables.js';

const oidc = {
  type: 'object',
  properties: {
    clientID: { type: 'string' },
    claims: { type: 'object', default: {}, properties: { user: { type: 'string', default: 'sub' } } },
    maybe: { type: 'string', default: 'd' },
    list: { type: 'array', items: { type: 'object', properties: { x: { type: 'integer', default: 1 } } } },
  },
};

describe('structural defaulting (CAPI cluster_variable_defaulting)', () => {
  it.each<[string, unknown, unknown]>([
    ['fills missing properties and recurses into inserted defaults', {}, { claims: { user: 'sub' }, maybe: 'd' }],
    ['keeps set values', { clientID: 'k', claims: { user: 'email' }, maybe: 'm' }, { clientID: 'k', claims: { user: 'email' }, maybe: 'm' }],
    ['null of a non-nullable field gets the default', { maybe: null }, { maybe: 'd', claims: { user: 'sub' } }],
    ['array items are defaulted', { list: [{}, { x: 5 }] }, { list: [{ x: 1 }, { x: 5 }], claims: { user: 'sub' }, maybe: 'd' }],
  ])('%s', (_name, value, expected) => {
    expect(applyDefaults(value, oidc)).toEqual(expected);
  });

  it('uses a top-level default only when there is one', () => {
    expect(defaultValueOf({ type: 'object', default: {}, properties: { a: { type: 'string', default: 'x' } } })).toEqual({ has: true, value: { a: 'x' } });
    expect(defaultValueOf(oidc)).toEqual({ has: false });
  });
});

describe('variable paths', () => {
  it.each<[string, (string | number)[] | undefined]>([
    ['a', ['a']],
    ['a.b.c', ['a', 'b', 'c']],
    ['a.list[0].x', ['a', 'list', 0, 'x']],
    ['a..b', undefined],
    ['a[x]', undefined],
  ])('%s', (path, expected) => {
    expect(parseVariablePath(path)).toEqual(expected);
  });

  it.each<[string, boolean, unknown]>([
    ['oidc.clientID', true, 'k'],
    ['oidc.list[1]', true, 2],
    ['oidc.list[2]', false, undefined],
    ['oidc.nope', false, undefined],
    ['missing', false, undefined],
  ])('lookup %s', (path, found, value) => {
    expect(lookupVariable({ oidc: { clientID: 'k', list: [1, 2] } }, path)).toEqual(found ? { found, value } : { found });
  });

  it('walks schemas', () => {
    expect(schemaAt(oidc, ['claims', 'user']).schema).toEqual({ type: 'string', default: 'sub' });
    expect(schemaAt(oidc, ['list', 0, 'x']).schema).toEqual({ type: 'integer', default: 1 });
    expect(schemaAt(oidc, ['nope'])).toEqual({ open: false });
    expect(schemaAt({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, ['any'])).toEqual({ open: true });
  });
});

describe('variable values against schemas', () => {
  it.each<[string, unknown, unknown, number]>([
    ['string ok', { type: 'string' }, 'x', 0],
    ['string wrong type', { type: 'string' }, 1, 1],
    ['unknown property', oidc, { clientID: 'x', other: 1 }, 1],
    ['pattern', { type: 'string', pattern: '^https://' }, 'http://x', 1],
    ['cidr format (Kubernetes formats)', { type: 'string', format: 'cidr' }, '10.0.0.0/8', 0],
    ['enum', { type: 'string', enum: ['a'] }, 'b', 1],
  ])('%s', (_name, schema, value, errors) => {
    expect(checkVariableValue(schema, value)).toHaveLength(errors);
  });
});

describe('structural schema rules', () => {
  it.each<[string, unknown, string[]]>([
    ['valid', oidc, []],
    ['missing type', { properties: { a: { type: 'string' } } }, ['VARIABLE_SCHEMA_NOT_STRUCTURAL:']],
    ['array without items', { type: 'array' }, ['VARIABLE_SCHEMA_NOT_STRUCTURAL:']],
    ['type inside anyOf', { type: 'string', anyOf: [{ type: 'string' }] }, ['VARIABLE_SCHEMA_NOT_STRUCTURAL:/anyOf/0/type']],
    ['unknown keyword', { type: 'string', $ref: '#/x' }, ['VARIABLE_SCHEMA_UNKNOWN_KEYWORD:/$ref']],
    ['bad type name', { type: 'map' }, ['VARIABLE_SCHEMA_BAD_TYPE:/type']],
    ['required not declared', { type: 'object', required: ['b'], properties: { a: { type: 'string' } } }, ['VARIABLE_SCHEMA_REQUIRED_UNDECLARED:/required/0']],
    ['default does not validate', { type: 'integer', default: 'x' }, ['VARIABLE_DEFAULT_INVALID:/default']],
    ['nested example does not validate', { type: 'object', properties: { a: { type: 'string', example: 3 } } }, ['VARIABLE_EXAMPLE_INVALID:/properties/a/example']],
    ['int-or-string needs no type', { 'x-kubernetes-int-or-string': true }, []],
  ])('%s', (_name, schema, expected) => {
    expect(checkVariableSchema(schema).map((p) => `${p.code}:${p.path}`)).toEqual(expected);
  });
});

describe('enabledIf (patchIsEnabled, default missingkey)', () => {
  it.each<[string, string | undefined, Record<string, unknown>, boolean, boolean, boolean?]>([
    ['unset is enabled', undefined, {}, true, false],
    ['true', '{{ if .a }}true{{ end }}', { a: 1 }, true, false],
    ['empty output disables', '{{ if .a }}true{{ end }}', { a: 0 }, false, false],
    ['false', '{{ eq .a "x" }}', { a: 'y' }, false, false],
    ['YAML 1.1 yes counts as true', 'yes', {}, true, false],
    ['ne on a missing key is true', '{{ ne .missing "" }}', {}, true, false],
    ['and on a missing key prints <no value>: disabled with a warning', '{{ and .missing true }}', {}, false, false, true],
    ['SCS pattern with an unset list: warning only', '{{ and .someList (eq .x "y") }}', { x: 'y' }, false, false, true],
    ['other text: disabled with a warning', '{{ .a }}-on', { a: true }, false, false, true],
    ['a failing function fails the reconcile', '{{ fail "x" }}', {}, false, true],
    ['output that is not YAML fails the reconcile', '[{{ .a }}', { a: true }, false, true],
  ])('%s', (_name, enabledIf, vars, enabled, error, warning = false) => {
    const result = evaluateEnabledIf(enabledIf, vars);
    expect(result.enabled).toBe(enabled);
    expect(result.error !== undefined).toBe(error);
    expect(result.warning !== undefined).toBe(warning);
  });
});
