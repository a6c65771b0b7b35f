/** Sprig's `semver` and `semverCompare` (semver.go) over the Masterminds semver port. */
import type { FuncMap } from '../template/values.js';
import { argStr, fn } from './define.js';
import { checkConstraints, parseConstraints, parseVersion, versionStruct } from './semver.js';

/** Semver family of Sprig's function map. */
export function semverFuncs(): FuncMap {
  return {
    semver: fn(['string'], (v) => versionStruct(parseVersion(argStr(v)))),
    semverCompare: fn(['string', 'string'], (c, v) => {
      const constraints = parseConstraints(argStr(c));
      return checkConstraints(constraints, parseVersion(argStr(v)));
    }),
  };
}
