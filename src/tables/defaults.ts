/** Plans per engine call from a table: ~16 MB of columns, and a row group of results. */
export const DEFAULT_TABLE_BLOCK_PLANS = 16_384;
/** Long tables: plans open at once before the oldest is closed as incomplete (~1.2 KB each, ~80 MB in all). */
export const DEFAULT_MAX_OPEN_PLANS = 65_536;
