/** yaml.v2's map key order (sorter.go keyList.Less) for string keys, shared by the v2 and v3 emitters. */
const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);
const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c);

/** yaml.v2 keyList.Less for string keys: digit runs compare numerically, letters after non-letters. */
export function naturalLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] ?? '';
    const y = br[i] ?? '';
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] ?? ''); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai] ?? ''); ai++) an = BigInt.asIntN(64, an * 10n + BigInt((ar[ai]?.codePointAt(0) ?? 48) - 48));
    for (; bi < br.length && isDigit(br[bi] ?? ''); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt((br[bi]?.codePointAt(0) ?? 48) - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0);
  }
  return ar.length < br.length;
}

/** Sorts string keys in yaml.v2 order. */
export function sortKeysNatural(keys: string[]): string[] {
  return [...keys].sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
}
