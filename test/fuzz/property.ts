// The property every fuzz case must hold: the pure stages (parse, plan, compile, encode) either
// succeed or throw a QueryError whose every diagnostic has a known code and a span inside the
// text. Anything else — another exception, a span outside the text — is a failure.
import { encode } from '../../src/bpf/index.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { DiagnosticCode } from '../../src/diag/diagnostic.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import { formatDiagnostic, messageOf } from '../../src/diag/messages.js';
import { describeTable } from '../../src/engine/catalog-statements.js';
import { describeStruct } from '../../src/engine/describe-btf.js';
import { explainPlan } from '../../src/engine/explain.js';
import type { Plan } from '../../src/planner/plan.js';
import type { PlannerEnv } from '../../src/planner/offsets.js';
import type { PlanOptions } from '../../src/planner/planner.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import type { CompiledProgram } from '../../src/bpf-templates/compile.js';

export type Verdict =
  /** The statement went through every pure stage; `program` when it had a kernel program. */
  | { readonly kind: 'ok'; readonly plan?: Plan; readonly program?: CompiledProgram }
  | { readonly kind: 'diagnostic'; readonly code: DiagnosticCode }
  | { readonly kind: 'failure'; readonly reason: string };

/** Map fds for encoding: whatever numbers will do, the kernel is not asked. */
function fakeFds(program: CompiledProgram): Map<string, number> {
  return new Map(program.maps.map((m, i) => [m.name, 100 + i]));
}

function runStages(text: string, catalog: Catalog, env: PlannerEnv, opts: PlanOptions): Verdict {
  const stmt = parseStatement(text);
  switch (stmt.kind) {
    case 'show-tables': return { kind: 'ok' };
    case 'describe': describeTable(catalog, stmt.table); return { kind: 'ok' };
    case 'describe-struct': describeStruct(env, stmt.struct); return { kind: 'ok' };
    case 'query': case 'explain': case 'create-table-as': case 'insert-into': {
      const plan = planQuery(stmt.query, catalog, env, opts);
      const program = compileKernelPlan(plan.kernel, plan.table);
      encode(program.assembled, fakeFds(program));
      for (const e of program.entries) encode(e.assembled, fakeFds(program));
      if (stmt.kind === 'explain') explainPlan(plan, program);
      return { kind: 'ok', plan, program };
    }
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 8).join('\n') ?? ''}`;
  return `non-Error thrown: ${String(e)}`;
}

export function checkStatement(text: string, catalog: Catalog, env: PlannerEnv, opts: PlanOptions = {}): Verdict {
  try {
    return runStages(text, catalog, env, opts);
  } catch (e) {
    if (!(e instanceof QueryError)) return { kind: 'failure', reason: describeError(e) };
    if (e.diagnostics.length === 0) return { kind: 'failure', reason: 'QueryError without diagnostics' };
    for (const d of e.diagnostics) {
      // A code is known when messages.ts has words for it.
      let message: unknown;
      try {
        message = messageOf(d);
      } catch {
        message = undefined;
      }
      if (typeof message !== 'string') return { kind: 'failure', reason: `unknown diagnostic code '${d.code}'` };
      const { start, end } = d.span;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
        return { kind: 'failure', reason: `diagnostic ${d.code} has span [${start}, ${end}) outside the text (length ${text.length})` };
      }
      try {
        formatDiagnostic(d, text);
      } catch (f) {
        return { kind: 'failure', reason: `formatting diagnostic ${d.code} threw ${describeError(f)}` };
      }
    }
    return { kind: 'diagnostic', code: e.diagnostics[0]!.code };
  }
}
