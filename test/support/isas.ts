import type { NativeIsa } from "../../src/backend/native-addon.js";

const ALL: readonly NativeIsa[] = ["avx512", "avx2", "scalar"];

/**
 * The native kernels a suite runs on this machine (every one it supports, scalar always), and
 * a line saying so — including the kernels this CPU lacks, which the suite then did not test
 * (`npm run check:qemu` covers a CPU without AVX2; an AVX-512 kernel needs such a CPU).
 */
export function isasToTest(suite: string, supported: readonly NativeIsa[]): NativeIsa[] {
  const isas = [...new Set<NativeIsa>([...supported, "scalar"])];
  const missing = ALL.filter((isa) => !isas.includes(isa));
  console.info(`${suite}: testing the ${isas.join(", ")} kernels; ${missing.length === 0 ? "this CPU runs every kernel" : `NOT tested here (this CPU lacks them): ${missing.join(", ")}`}`);
  return isas;
}
