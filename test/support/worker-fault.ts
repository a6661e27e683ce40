import { cpSync, existsSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./child.js";

/**
 * A copy of the built package in `dir` whose worker module `worker` (a path under dist/, such as
 * the CLI's dist/cli/worker.js given without its dist/) is replaced by `wrapper`, which may import the real one, renamed beside it with
 * `.real.js` for `.js`. So a test puts a fault into a worker thread from outside, while the
 * package's own pool starts it. Returns `dir`.
 */
export function packageWithWorker(dir: string, worker: string, wrapper: string): string {
  cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  for (const shared of ["node_modules", "build", "prebuilds"]) {
    if (existsSync(join(ROOT, shared))) symlinkSync(join(ROOT, shared), join(dir, shared));
  }
  const path = join(dir, "dist", worker);
  renameSync(path, path.replace(/\.js$/, ".real.js"));
  writeFileSync(path, wrapper);
  return dir;
}

/**
 * Wrapper code for packageWithWorker: every message to the worker passes `exitsOn` (the source of
 * a function of the message) before the real module's listener sees it, and the thread exits
 * with code 70 where it returns true (as an out-of-memory or a crash would end it).
 */
export function exitingWorker(realModule: string, exitsOn: string): string {
  return `import { parentPort } from "node:worker_threads";
const exitsOn = ${exitsOn};
const on = parentPort.on.bind(parentPort);
parentPort.on = (event, listener) =>
  on(event, (message) => {
    if (exitsOn(message)) process.exit(70);
    listener(message);
  });
await import(${JSON.stringify(realModule)});
`;
}
