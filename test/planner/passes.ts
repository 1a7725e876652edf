// Runs the planner's passes one by one over the fixture catalog, so each pass's output can be checked.
import type { BoundQuery } from '../../src/planner/bind.js';
import { bindTo, resolveTable } from '../../src/planner/bind.js';
import type { Lowered, LowerOptions } from '../../src/planner/lower.js';
import { lower } from '../../src/planner/lower.js';
import type { SplitOptions, SplitQuery } from '../../src/planner/split.js';
import { split } from '../../src/planner/split.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

export function bound(sql: string): BoundQuery {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error(`'${sql}' is no query`);
  return bindTo(s.query, resolveTable(s.query, fixtureCatalog()));
}

export function splitOf(sql: string, opts: SplitOptions = {}): SplitQuery {
  return split(bound(sql), opts);
}

export function lowered(sql: string, opts: SplitOptions & LowerOptions = {}): Lowered {
  return lower(splitOf(sql, opts), fixturePlannerEnv, opts);
}
