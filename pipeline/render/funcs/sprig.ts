/**
 * Sprig 3.2.3's function map for text/template, built from the per-family files, plus the two reduced
 * sets other layers use: Sprig's HermeticTxtFuncMap (CAPI patches) and a slim-sprig emulation (CSO values).
 */
import { createHash } from 'node:crypto';
import type { FuncMap } from '../template/values.js';
import { cryptoFuncs } from './crypto-funcs.js';
import { dateFuncs } from './date-funcs.js';
import { defaultsFuncs } from './defaults-funcs.js';
import { argStr, fn } from './define.js';
import { dictFuncs } from './dict-funcs.js';
import { encodingFuncs } from './encoding-funcs.js';
import { listFuncs } from './list-funcs.js';
import { mathFuncs } from './math-funcs.js';
import { miscFuncs } from './misc-funcs.js';
import { regexFuncs } from './regex-funcs.js';
import { semverFuncs } from './semver-funcs.js';
import { stringFuncs } from './strings-funcs.js';

export interface SprigOptions {
  /** Uniform [0,1) source for every random choice (random strings, uuids, serials, seeded keys). */
  random?: () => number;
  /** Clock for `now`, `ago`, certificate validity. */
  now?: () => Date;
  /**
   * When set, generated private keys are derived deterministically from this seed and the order of
   * generation (same seed + same template ⇒ same keys); otherwise keys come from the system CSPRNG.
   */
  keySeed?: string;
  /** Values for `env`/`expandenv`; the functions exist only when this is given (Helm removes them). */
  env?: Record<string, string>;
}

/** A deterministic PRNG (SHA-256 in counter mode) for repeatable renders: `seededRandom("seed")`. */
export function seededRandom(seed: string): () => number {
  let counter = 0;
  let pool: number[] = [];
  return () => {
    if (pool.length < 7) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      pool = pool.concat(Array.from(block));
    }
    let x = 0;
    for (let i = 0; i < 7; i++) x = x * 256 + (pool.shift() ?? 0);
    return (x % 2 ** 53) / 2 ** 53;
  };
}

/** Sprig's TxtFuncMap minus `env`/`expandenv` (what Helm starts from). */
export function sprigFuncs(options: SprigOptions = {}): FuncMap {
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const map: FuncMap = {
    ...stringFuncs(),
    ...listFuncs(),
    ...dictFuncs(),
    ...mathFuncs(random),
    ...defaultsFuncs(),
    ...regexFuncs(),
    ...encodingFuncs(),
    ...dateFuncs(now),
    ...semverFuncs(),
    ...miscFuncs(random),
    ...cryptoFuncs({ random, now, keySeed: options.keySeed }),
  };
  if (options.env) {
    const env = options.env;
    map.env = fn(['string'], (k) => env[argStr(k)] ?? '');
    map.expandenv = fn(['string'], (s) =>
      argStr(s).replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+|[*#$@!?\-0-9])/g, (_m, a: string, b: string) => env[a ?? b] ?? ''),
    );
  }
  return map;
}

/** Sprig's nonhermeticFunctions list (functions.go). */
export const NON_HERMETIC = [
  'date', 'date_in_zone', 'date_modify', 'now', 'htmlDate', 'htmlDateInZone', 'dateInZone', 'dateModify',
  'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randBytes', 'uuidv4', 'env', 'expandenv', 'getHostByName',
];

/** Functions a slim-sprig TxtFuncMap lacks: crypto, semver, uuid and random ones. */
export const SLIM_REMOVED = [
  'bcrypt', 'htpasswd', 'genPrivateKey', 'derivePassword', 'buildCustomCert', 'genCA', 'genCAWithKey',
  'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'encryptAES',
  'decryptAES', 'randBytes', 'semver', 'semverCompare', 'uuidv4', 'randAlphaNum', 'randAlpha', 'randAscii',
  'randNumeric', 'randInt', 'shuffle',
];

function without(map: FuncMap, names: string[]): FuncMap {
  const out = { ...map };
  for (const n of names) delete out[n];
  return out;
}

/** sprig.HermeticTxtFuncMap(): what Cluster API patch templates get (layer 4). */
export function hermeticSprigFuncs(options: SprigOptions = {}): FuncMap {
  return without(sprigFuncs(options), NON_HERMETIC);
}

/** slim-sprig's TxtFuncMap emulated (CSO values templating, layer 3). */
export function slimSprigFuncs(options: SprigOptions = {}): FuncMap {
  return without(sprigFuncs(options), SLIM_REMOVED);
}
