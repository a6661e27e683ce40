/**
 * Which backend the running vitest project puts behind every aggregator (vitest.config.ts): the
 * native projects set FARFAN_AGGREGATOR_BACKEND=native, the js project forces the fallback.
 */
export const NATIVE_PROJECT = process.env.FARFAN_AGGREGATOR_BACKEND === "native";
export const PROJECT_BACKEND: "native" | "js" = NATIVE_PROJECT ? "native" : "js";
