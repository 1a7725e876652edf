// Values as cells of a table for a person (the table and Markdown formats).

import { displayText, screenText } from './display-text.js';
import { jsonText } from './json-text.js';
import type { Row } from './result.js';

interface Bucket { readonly lo: unknown; readonly hi: unknown; readonly count: unknown }

function isBucketList(v: unknown): v is readonly Bucket[] {
  return Array.isArray(v) && v.length > 0 && v.every((b: unknown) =>
    typeof b === 'object' && b !== null && !Array.isArray(b) && 'lo' in b && 'hi' in b && 'count' in b && Object.keys(b).length === 3);
}

/**
 * One line of text per value, safe for a terminal: control characters (and backslash) are escaped
 * (display-text.ts), so they can neither break the layout nor drive the terminal. Lists and
 * structs are shown as JSON, whose strings already escape line breaks and backslashes; hist()
 * buckets compactly as `[lo,hi]:count`.
 */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return displayText(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (isBucketList(v)) return screenText(v.map((b) => `[${jsonText(b.lo)},${jsonText(b.hi)}]:${jsonText(b.count)}`).join(' '));
  return screenText(jsonText(v));
}

/** Column `c` holds numbers (and NULLs, at least one number): it is aligned to the right. */
export function isNumericColumn(rows: readonly Row[], c: number): boolean {
  let seen = false;
  for (const row of rows) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'bigint') return false;
    seen = true;
  }
  return seen;
}
