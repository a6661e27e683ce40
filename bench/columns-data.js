// Synthetic column input shared by the benches: n evaluations of scores on [0, 3] and stds on
// [0, 0.4] (rounded to 1/1000, like real Phase 4 output), from a fixed LCG so every run and every
// bench measures the same numbers, and unequal shared weights so no kernel can shortcut them.
export function columns(n) {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const scores = new Float64Array(n * 60);
  const stds = new Float64Array(n * 60);
  for (let i = 0; i < scores.length; i++) {
    scores[i] = Math.round(random() * 3000) / 1000;
    stds[i] = Math.round(random() * 400) / 1000;
  }
  const weights = new Float64Array(60).map((_, i) => 1 + (i % 6) * 0.25);
  return { scores, stds, weights, evaluations: n };
}

/** "12.3 ms" / "45.6 µs" for a time in seconds. */
export function formatTime(seconds) {
  return seconds >= 1e-3 ? `${(seconds * 1e3).toFixed(2)} ms` : `${(seconds * 1e6).toFixed(2)} µs`;
}
