// `node --import ./test/support/register-ts.mjs file.ts`: runs the suite's TypeScript (test/,
// src/, fuzz/) in plain Node 20, which cannot strip types itself. Used by the fuzz child process
// and `npm run fuzz`; vitest does its own transform.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
