// The Parquet format: written by DuckDB, only to a file (`-o FILE.parquet`).
import { quoteString } from '../../query/sql-text.js';
import { defineFormat } from '../format-spec.js';

export const parquet = defineFormat({
  kind: 'file',
  name: 'parquet',
  description: 'Apache Parquet (-o only), the query and its completeness in its footer',
  extensions: ['parquet'],
  copy: (opts) => {
    const entries = Object.entries(opts.metadata ?? {});
    if (entries.length === 0) return 'FORMAT parquet';
    return `FORMAT parquet, KV_METADATA {${entries.map(([k, v]) => `${quoteString(k)}: ${quoteString(v)}`).join(', ')}}`;
  },
});
