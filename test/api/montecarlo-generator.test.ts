/**
 * The Monte-Carlo generator as documented (src/kernels/philox.ts, src/kernels/normal.ts): Philox4x32-10 passes
 * Random123's known-answer vectors, and the polynomial logarithm, sine and cosine behind the
 * normal variates agree with Math's to ~1e-15, so the draws are the documented ones.
 */
import { describe, expect, it } from "vitest";
import { logOfUnit, normalPair } from "../../src/kernels/normal.js";
import { philox4x32 } from "../../src/kernels/philox.js";
import { rng } from "../support/float.js";

describe("Philox4x32-10 (Random123 kat_vectors)", () => {
  it.each([
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ])("counter %j, key %j", (counter, key, expected) => {
    const out = new Uint32Array(6);
    philox4x32(counter[0]!, counter[1]!, counter[2]!, counter[3]!, key[0]!, key[1]!, out, 1);
    expect([...out.subarray(1, 5)]).toEqual(expected);
    expect(out[0]).toBe(0); // writes exactly four words at the offset
    expect(out[5]).toBe(0);
  });
});

describe("the deterministic elementary functions", () => {
  const random = rng(2024);
  const words = Array.from({ length: 20_000 }, () => Math.floor(random() * 2 ** 32));
  const edges = [0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xbfffffff, 0xc0000000, 0xffffffff];

  it("ln((x + 0.5)·2⁻³²) matches Math.log within 1e-15 relative, ends included", () => {
    for (const x of [...edges, ...words]) {
      const exact = Math.log((x + 0.5) / 2 ** 32);
      expect(Math.abs(logOfUnit(x) - exact)).toBeLessThanOrEqual(1e-15 * Math.abs(exact));
    }
  });

  it("Box–Muller pairs match ρ·(cos θ, sin θ) from Math within 1e-14, in every quadrant", () => {
    const z = new Float64Array(2);
    for (let i = 0; i < words.length; i++) {
      const x = words[i]!;
      const y = edges[i % edges.length]! ^ words[words.length - 1 - i]!;
      normalPair(x, y >>> 0, z, 0);
      const rho = Math.sqrt(-2 * Math.log((x + 0.5) / 2 ** 32));
      const theta = (2 * Math.PI * ((y >>> 0) + 0.5)) / 2 ** 32;
      expect(Math.abs(z[0]! - rho * Math.cos(theta))).toBeLessThan(1e-14);
      expect(Math.abs(z[1]! - rho * Math.sin(theta))).toBeLessThan(1e-14);
    }
  });

  it("the variates have mean 0 and variance 1 (200,000 draws)", () => {
    const z = new Float64Array(2);
    const out = new Uint32Array(4);
    let sum = 0, squares = 0;
    for (let k = 0; k < 50_000; k++) {
      philox4x32(k, 0, 0, 0, 7, 0, out, 0);
      for (const at of [0, 2]) {
        normalPair(out[at]!, out[at + 1]!, z, 0);
        sum += z[0]! + z[1]!;
        squares += z[0]! * z[0]! + z[1]! * z[1]!;
      }
    }
    expect(Math.abs(sum / 200_000)).toBeLessThan(0.01); // 4.5 standard errors
    expect(Math.abs(squares / 200_000 - 1)).toBeLessThan(0.015);
  });
});
