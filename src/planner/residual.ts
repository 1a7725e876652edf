// Writes the DuckDB part of a plan: a SELECT over the kernel's output table.
import { KERNEL_TABLE } from './plan.js';

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

export interface ResidualParts {
  readonly items: readonly string[];
  readonly where: readonly string[];
  readonly groupBy: readonly string[];
  readonly having?: string;
  readonly orderBy: readonly string[];
  readonly limit?: number;
}

export function residualSelect(p: ResidualParts): string {
  const parts = [`SELECT ${p.items.join(', ')}`, `FROM ${KERNEL_TABLE}`];
  if (p.where.length > 0) parts.push(`WHERE ${p.where.map((w) => (p.where.length > 1 ? `(${w})` : w)).join(' AND ')}`);
  if (p.groupBy.length > 0) parts.push(`GROUP BY ${p.groupBy.join(', ')}`);
  if (p.having) parts.push(`HAVING ${p.having}`);
  if (p.orderBy.length > 0) parts.push(`ORDER BY ${p.orderBy.join(', ')}`);
  if (p.limit !== undefined) parts.push(`LIMIT ${p.limit}`);
  return parts.join(' ');
}
