// EXPLAIN: what runs in the kernel (event source, filter, maps and their layouts, instruction
// count, disassembly with comments) and what runs in DuckDB (the residual SQL).
import { disassemble } from '../bpf/index.js';
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { describeSource } from '../catalog/table.js';
import { typeName } from '../catalog/types.js';
import type { AggregateSlot, KernelField, Plan } from '../planner/plan.js';
import { printKExpr } from '../planner/print-kexpr.js';

function fieldLine(f: KernelField): string {
  // A stack is a string in DuckDB but an id in the kernel.
  if (f.expr.kind === 'column' && f.expr.column.source.kind === 'stack') {
    return `${f.name} ${f.expr.column.source.space} stack id @${f.offset} = ${f.expr.column.name} (symbolised after the run)`;
  }
  if (f.expr.kind === 'column' && f.expr.column.source.kind === 'cgroup') {
    return `${f.name} cgroup id @${f.offset} = ${f.expr.column.name} (named in user space)`;
  }
  return `${f.name} ${typeName(f.type)}${f.type.kind === 'string' ? `[${f.width}]` : ''} @${f.offset} = ${printKExpr(f.expr)}`;
}

function aggregateLine(a: AggregateSlot): string {
  if (a.fn !== 'count') return `${a.name} ${a.fn}(${a.arg ? printKExpr(a.arg) : '*'}) @${a.offset}`;
  // count(x) of an x that may be NULL counts the events its argument, the test of x, holds for.
  return a.arg ? `${a.name} count @${a.offset} = the events where ${printKExpr(a.arg)}` : `${a.name} count(*) = the event count`;
}

export function explainPlan(plan: Plan, program: CompiledProgram): string {
  const k = plan.kernel;
  const out: string[] = ['== kernel ==', `source:  ${describeSource(k.source)} (table ${plan.table})`];
  out.push(`filter:  ${k.filter ? printKExpr(k.filter) : '(none)'}`);
  const mode = k.mode;
  if (mode.kind === 'aggregate') {
    out.push(`mode:    in-kernel aggregation, per-CPU hash map, max ${mode.maxEntries} keys`);
    out.push(`key:     ${mode.keySize} bytes`);
    mode.keys.forEach((f) => out.push(`  ${fieldLine(f)}`));
    out.push(`value:   ${mode.valueSize} bytes per CPU`);
    out.push('  count u64 @0 (events for the key)');
    mode.aggregates.forEach((a) => out.push(`  ${aggregateLine(a)} -> ${typeName(a.resultType)}`));
  } else {
    out.push(`mode:    stream rows through a ${mode.ringBytes}-byte ring buffer`);
    out.push(`record:  ${mode.recordSize} bytes`);
    mode.fields.forEach((f) => out.push(`  ${fieldLine(f)}`));
  }
  out.push(`maps:    ${program.maps.map((m) => `${m.name} (${m.type}, key ${m.keySize} B, value ${m.valueSize} B, max ${m.maxEntries})`).join('; ')}`);
  out.push(`program: ${program.name}, ${program.assembled.slots} instructions, ${program.stackBytes} bytes of stack`);
  out.push(disassemble(program.assembled));
  for (const e of program.entries) {
    const opens = e.filter === undefined ? 'opens a pair on every event' : e.filter.kind === 'const' ? 'opens no pair (WHERE is always false)' : `opens a pair where ${printKExpr(e.filter)}`;
    out.push(`entry:   ${e.name} on ${describeSource(e.source)}, ${e.assembled.slots} instructions; ${opens}`);
    out.push(disassemble(e.assembled));
  }
  for (const o of program.others) {
    out.push(`also:    ${o.name} on ${describeSource(o.source)}, ${o.assembled.slots} instructions`);
    out.push(disassemble(o.assembled));
  }
  out.push('== duckdb ==');
  if (plan.residualFilters.length > 0) out.push(`filters kept for DuckDB: ${plan.residualFilters.join(' AND ')}`);
  out.push(plan.residualSql);
  return out.join('\n');
}

/** A kernel query of a statement that holds several, as EXPLAIN shows it. */
export interface EmbeddedPart {
  readonly text: string;
  readonly table: string;
  readonly plan: Plan;
  readonly program: CompiledProgram;
}

/**
 * EXPLAIN of a statement with kernel queries inside: each query's plan, the window they share,
 * and the statement DuckDB runs over their tables.
 */
export function explainEmbedded(parts: readonly EmbeddedPart[], duckdbSql: string, duration: string | undefined): string {
  const span = duration === undefined ? 'until stopped' : `FOR ${duration}`;
  const window = parts.length > 1
    ? `== one window (${span}): ${parts.length} kernel queries, all attached first, then their gates opened together and closed together ==`
    : `== one kernel query (${span}) ==`;
  const out = [window];
  parts.forEach((p, i) => {
    out.push(`-- kernel query ${i + 1} of ${parts.length} into ${p.table}: ${p.text}`);
    out.push(explainPlan(p.plan, p.program));
  });
  out.push('== duckdb: the statement over the kernel queries\' tables ==');
  out.push(duckdbSql.trim());
  return out.join('\n');
}
