// piscina's task handler around a worker script of the package (bench/pool.bench.js only). The
// script, named by the worker's last argv, listens on parentPort and answers each message with
// one; here it is given a port that makes its answer the task's result, its transfer list moved.
import { createRequire, syncBuiltinESMExports } from "node:module";
import "node:worker_threads"; // its ES module facade exists before the sync below, which only updates an existing one
import { move, transferableSymbol, valueSymbol } from "piscina";

let listener;
let settle;
const port = {
  on(_event, handler) {
    listener = handler;
    return port;
  },
  postMessage(reply, transfer = []) {
    settle(move({ [transferableSymbol]: transfer, [valueSymbol]: reply }));
  },
};

// The script's `import { parentPort } from "node:worker_threads"` reads `port`; piscina's own
// CommonJS code, which reads the module object, keeps the real one.
const threads = createRequire(import.meta.url)("node:worker_threads");
const real = threads.parentPort;
threads.parentPort = port;
syncBuiltinESMExports();
threads.parentPort = real;
await import(process.argv.at(-1));

export default function answer(task) {
  return new Promise((resolve) => {
    settle = resolve;
    listener(task);
  });
}
