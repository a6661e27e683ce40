export { aggregateTable, type AggregateTableOptions, type ArrowTableLike, type TableInput, type TableResult } from "./aggregate-table.js";
export { DEFAULT_MAX_OPEN_PLANS } from "./defaults.js";
export { DEFAULT_ID_COLUMN, WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS } from "./rows.js";
