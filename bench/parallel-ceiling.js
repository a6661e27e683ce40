// How much a second thread adds on this machine, measured in the bench's own run: a CPU-bound
// loop (integer arithmetic, no memory traffic) for a fixed time on one worker thread, then on two
// at once. On a VM whose two vCPUs share a physical core, or share it with a neighbour, two
// threads do far less than twice the work of one; a ratio of threads (--jobs 2 against 1) can
// only be read against this ceiling.
import { Worker } from "node:worker_threads";

const SPIN = `
  const { parentPort, workerData } = require("node:worker_threads");
  let x = 0, rounds = 0;
  const end = Date.now() + workerData.ms;
  while (Date.now() < end) { for (let i = 0; i < 1e5; i++) x = (Math.imul(x, 1103515245) + 12345) | 0; rounds++; }
  parentPort.postMessage(rounds + (x & 0));
`;

function spin(ms) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SPIN, { eval: true, workerData: { ms } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

/** The work two threads do at once over what one does alone in the same time (2.00 at best). */
export async function parallelCeiling(ms = 2000) {
  const alone = await spin(ms);
  const pair = await Promise.all([spin(ms), spin(ms)]);
  return (pair[0] + pair[1]) / alone;
}
