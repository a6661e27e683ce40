// Writes the example tables of farfan-aggregate from examples/plans-170.ndjson (the same 170
// synthetic plans, the municipality as the plan key `plan_id`):
//   examples/plans-170.csv           long: plan_id, area_id, dimension_id, score, score_std
//   examples/plans-170.parquet       the same rows as Parquet
//   examples/plans-170.arrow         the same rows as Arrow IPC (file format)
//   examples/plans-170-wide.parquet  wide: one row per plan, score_PA01_DIM01 … score_std_PA10_DIM06
//
// Run with `npm run examples` after generate.js (apache-arrow and parquet-wasm, the package's
// optional dependencies, write the binary files).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as arrow from "apache-arrow";
import wasm from "parquet-wasm/node";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const plans = readFileSync(here("plans-170.ndjson"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
const rows = plans.flatMap((plan) => plan.dimension_scores.map((d) => ({ plan_id: plan.municipality, ...d })));

const text = (values) => arrow.vectorFromArray(values, new arrow.Utf8());
const numbers = (values) => arrow.makeVector(Float64Array.from(values));
const long = new arrow.Table({
  plan_id: text(rows.map((r) => r.plan_id)),
  area_id: text(rows.map((r) => r.area_id)),
  dimension_id: text(rows.map((r) => r.dimension_id)),
  score: numbers(rows.map((r) => r.score)),
  score_std: numbers(rows.map((r) => r.score_std)),
});
const pairs = plans[0].dimension_scores.map((d) => `${d.area_id}_${d.dimension_id}`);
const wideColumns = { plan_id: text(plans.map((p) => p.municipality)) };
pairs.forEach((pair, i) => (wideColumns[`score_${pair}`] = numbers(plans.map((p) => p.dimension_scores[i].score))));
pairs.forEach((pair, i) => (wideColumns[`score_std_${pair}`] = numbers(plans.map((p) => p.dimension_scores[i].score_std))));
const wide = new arrow.Table(wideColumns);

const parquet = (table) =>
  wasm.writeParquet(wasm.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build());

const csv = ["plan_id,area_id,dimension_id,score,score_std", ...rows.map((r) => `${r.plan_id},${r.area_id},${r.dimension_id},${r.score},${r.score_std}`)];
writeFileSync(here("plans-170.csv"), `${csv.join("\n")}\n`);
writeFileSync(here("plans-170.parquet"), parquet(long));
writeFileSync(here("plans-170.arrow"), arrow.tableToIPC(long, "file"));
writeFileSync(here("plans-170-wide.parquet"), parquet(wide));
