/**
 * A call's control word: an Int32Array over a SharedArrayBuffer that the caller's thread and
 * the thread running the call (a JS worker, js-worker.ts, or native's, native/call_control.h)
 * both see. The caller sets CONTROL_CANCEL to stop the call between chunks; the runner writes
 * how many evaluations its current pass has finished to CONTROL_DONE.
 */
export const CONTROL_CANCEL = 0;
export const CONTROL_DONE = 1;
const CONTROL_WORDS = 2;

export function newCallControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT));
}

/** Asks the call to stop at its next chunk. */
export function cancelCall(control: Int32Array): void {
  Atomics.store(control, CONTROL_CANCEL, 1);
}
