// Preloaded (`node --expose-gc -r`) by tests of what a process leaves behind: one full garbage
// collection when the process is about to exit, so a file handle nobody closed is collected,
// and Node's warnings about it are printed, every run rather than when the heap happened to fill.
'use strict';
let collected = false;
process.on('beforeExit', () => {
  if (collected) return;
  collected = true;
  globalThis.gc();
  // One more turn of the event loop for the handle's finalizer and its warnings.
  setImmediate(() => {});
});
