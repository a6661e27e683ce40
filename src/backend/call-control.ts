import { AbortError } from "../core/errors.js";

/**
 * A call's control word: an Int32Array over a SharedArrayBuffer that the caller's thread and
 * the thread running the call (a JS worker, js-worker.ts, or native's, native/call_control.h)
 * both see. The caller sets CONTROL_CANCEL to stop the call between chunks; the runner writes
 * how many evaluations its current pass has finished to CONTROL_DONE.
 */
export const CONTROL_CANCEL = 0;
export const CONTROL_DONE = 1;
const CONTROL_WORDS = 2;

function newCallControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT));
}

/** Rejects (throws) with AbortError when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

/**
 * Runs `work` with a fresh control word under `signal`: when it aborts, the promise rejects at
 * once with AbortError and the control's cancel word is set, so the work stops at its next
 * chunk (its own late rejection, E_CANCELLED, is then nobody's). A signal already aborted
 * rejects before `work` starts.
 */
export async function abortable<T>(signal: AbortSignal | undefined, work: (control: Int32Array) => Promise<T>): Promise<T> {
  throwIfAborted(signal);
  const control = newCallControl();
  if (signal === undefined) return work(control);
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      Atomics.store(control, CONTROL_CANCEL, 1);
      reject(new AbortError(undefined, { cause: signal.reason }));
    };
  });
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const running = work(control);
    running.catch(() => {});
    return await Promise.race([running, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
