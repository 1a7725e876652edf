// Every curated table, by name.
import type { CuratedTable } from '../curated.js';
import { execTable } from './exec.js';
import { openTable } from './open.js';

export const CURATED_TABLES: readonly CuratedTable[] = [execTable, openTable];
