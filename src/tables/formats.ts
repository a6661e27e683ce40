import { AggregationError } from "../core/errors.js";

/** The table formats: CSV (read and written here), Parquet and Arrow IPC (through their libraries). */
export const TABLE_FORMATS = Object.freeze(["csv", "parquet", "arrow"] as const);
export type TableFormat = (typeof TABLE_FORMATS)[number];

const EXTENSIONS: Readonly<Record<string, TableFormat>> = {
  ".csv": "csv",
  ".parquet": "parquet",
  ".pq": "parquet",
  ".arrow": "arrow",
  ".arrows": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
};

/** The table format a file name says, or undefined (JSON, NDJSON, anything else). */
export function formatOfPath(path: string): TableFormat | undefined {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? undefined : EXTENSIONS[path.slice(dot).toLowerCase()];
}

/** Arrow IPC comes as a file (random access, `ARROW1` magic) or a stream; `.arrows` names a stream. */
export function arrowFlavourOfPath(path: string): "file" | "stream" {
  return path.toLowerCase().endsWith(".arrows") ? "stream" : "file";
}

export type ArrowModule = typeof import("apache-arrow");
export type ParquetModule = typeof import("parquet-wasm/node");

let arrowModule: Promise<ArrowModule> | undefined;
let parquetModule: Promise<ParquetModule> | undefined;

/**
 * apache-arrow and parquet-wasm are optional dependencies (installed with the package by
 * default), loaded the first time a Parquet or Arrow table is met, so CSV and JSON runs never
 * pay for them.
 */
export function loadArrow(): Promise<ArrowModule> {
  return (arrowModule ??= load<ArrowModule>("apache-arrow", () => import("apache-arrow")));
}

export function loadParquet(): Promise<ParquetModule> {
  return (parquetModule ??= load<ParquetModule>("parquet-wasm", async () => {
    const module = (await import("parquet-wasm/node")) as ParquetModule & { default?: ParquetModule };
    return module.default ?? module;
  }));
}

async function load<T>(name: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const message = `this table format needs the optional dependency ${name}, which did not load; install it with: npm install ${name}`;
    throw new AggregationError("E_FORMAT_UNAVAILABLE", message, { cause: error });
  }
}
