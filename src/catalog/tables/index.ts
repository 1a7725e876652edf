// Every curated table, by name.
import type { CuratedTable } from '../curated.js';
import { execTable } from './exec.js';

export const CURATED_TABLES: readonly CuratedTable[] = [execTable];
