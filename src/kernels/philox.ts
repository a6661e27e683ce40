/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3" (SC'11), as in Random123: a 128-bit counter and a 64-bit key give 128 random bits,
 * with no state carried from one call to the next. That is what makes the Monte-Carlo results
 * independent of thread counts and batch splits: each draw is a pure function of its
 * coordinates. native/philox.h is the same function in C++; both pass Random123's known-answer
 * vectors (the repository's generator tests).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9; // key schedule: the golden ratio and sqrt(3) - 1, as 32-bit fractions
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32s, exactly (doubles hold only 53 bits). */
function mulHi(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const ll = aLo * bLo, lh = aLo * bHi, hl = aHi * bLo;
  const carry = ((ll >>> 16) + (lh & 0xffff) + (hl & 0xffff)) >>> 16;
  return (aHi * bHi + (lh >>> 16) + (hl >>> 16) + carry) >>> 0;
}

/** Writes the four output words of counter (c0, c1, c2, c3) under key (k0, k1) to out[at..at+3]. */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number,
  k0: number, k1: number,
  out: Uint32Array, at: number,
): void {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulHi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = c3;
}
