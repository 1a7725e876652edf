// `cgroups`: every cgroup a query that named the cgroup columns knew of (its path, container and
// pod), kept across queries in the database, for joins on cgroup_id = cgroups.id. A cgroup keeps
// the time it was first seen; its removal is filled in when a later run sees it.
import type { ColumnBatch } from '../catalog/types.js';
import { duckdbType } from '../catalog/types.js';
import { quoteIdent } from '../query/quote.js';
import type { Session } from './session.js';

const CGROUPS_TABLE = 'cgroups';

/** Adds the run's cgroups (a batch of the table's columns) to `cgroups`, made if it is not there. */
export async function recordCgroups(session: Session, batch: ColumnBatch): Promise<void> {
  const defs = batch.columns.map((c) => `${quoteIdent(c.name)} ${duckdbType(c.type)}`).join(', ');
  await session.run(`CREATE TABLE IF NOT EXISTS ${CGROUPS_TABLE} (${defs})`);
  const staged = session.internalName('cgroups');
  await session.createTable(staged, batch.columns, { replace: true });
  try {
    await session.appendColumns(staged, batch);
    await session.run(`INSERT INTO ${CGROUPS_TABLE} SELECT * FROM ${staged} s WHERE NOT EXISTS (SELECT 1 FROM ${CGROUPS_TABLE} c WHERE c.id = s.id)`);
    await session.run(`UPDATE ${CGROUPS_TABLE} c SET removed = s.removed FROM ${staged} s WHERE c.id = s.id AND c.removed IS NULL AND s.removed IS NOT NULL`);
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${staged}`);
  }
}
