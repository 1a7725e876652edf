// The rules of a rules file, each parsed and planned before anything is attached. A rule either
// alerts on each row (its rows each come from one event) or counts (EVERY windows, each row of a
// closed window an alert); any other query, or a LIMIT … PER key that names no column of the
// rule's rows, is refused, pointed at in the file.
import { diagnostic, QueryError } from '../../diag/diagnostic.js';
import type { Engine } from '../../engine/engine.js';
import { shiftDiagnostics } from '../../engine/engine.js';
import type { Plan } from '../../planner/plan.js';
import { itemName } from '../../planner/residual.js';
import { isStreamable } from '../../planner/streamable.js';
import type { RuleDefinition, RuleRateLimit, SelectQuery, Severity } from '../../query/ast.js';
import { parseRule } from '../../query/parse.js';
import { splitStatements } from '../../query/split.js';

/** A rule's alerts when it names no SEVERITY. */
export const DEFAULT_SEVERITY: Severity = 'medium';

export interface Rule {
  readonly name: string;
  readonly severity: Severity;
  readonly rateLimit?: RuleRateLimit;
  /** The rule's query as written, which the engine runs. */
  readonly query: string;
  /** The whole statement as written: a reload restarts a rule only when this changed. */
  readonly text: string;
}

/** A rule that cannot run: `rule` names it (its name, or its place in the file when it has none yet). */
export class BadRule extends Error {
  constructor(readonly rule: string, readonly error: unknown) {
    super(`rule ${rule} cannot run`);
    this.name = 'BadRule';
  }
}

/** The names of a query's result columns, lower case (a star gives the kernel's). */
function resultNames(q: SelectQuery, plan: Plan): Set<string> {
  const names = new Set<string>();
  for (const item of q.items) {
    if (item.kind === 'expr') names.add(itemName(item).toLowerCase());
    else for (const c of plan.kernelColumns) names.add(c.name.toLowerCase());
  }
  return names;
}

/** Checks one rule; `text` is its statement, the diagnostics' positions are in it. */
async function checkRule(engine: Engine, text: string, seen: ReadonlySet<string>): Promise<RuleDefinition> {
  const def = parseRule(text);
  if (seen.has(def.name.toLowerCase())) throw new QueryError([diagnostic('unsupported', { feature: `a second rule named ${def.name}` }, def.nameSpan)]);
  // The query was parsed in the rule's text: the engine's diagnostics point into that text.
  const plan = await engine.check(def.query, text);
  if (plan.everyMs === undefined && !isStreamable(def.query, plan)) {
    throw new QueryError([diagnostic('unsupported', {
      feature: 'a rule whose rows need later rows (ORDER BY, GROUP BY or aggregates without EVERY)',
    }, def.query.span)]);
  }
  // Scoped to a cgroup (--cgroup), the planner filters on cgroup_id where the table has it: a
  // table without it would be watched whole.
  if (engine.cgroupId !== undefined && !plan.kernel.columns.some((c) => c.name === 'cgroup_id')) {
    throw new QueryError([diagnostic('unsupported', { feature: `--cgroup with table ${plan.table}, which has no cgroup_id column,` }, def.query.from.span)]);
  }
  const names = resultNames(def.query, plan);
  const unknown = def.rateLimit?.per.find((k) => !names.has(k.name.toLowerCase()));
  if (unknown) throw new QueryError([diagnostic('unknown-column', { name: unknown.name, table: plan.table, suggestions: [...names].sort() }, unknown.span)]);
  return def;
}

/** Each statement of `script`: its rule, or why it cannot run (positioned in the script). */
export async function readEachRule(engine: Engine, script: string): Promise<(Rule | BadRule)[]> {
  const out: (Rule | BadRule)[] = [];
  const seen = new Set<string>();
  for (const [i, piece] of splitStatements(script).entries()) {
    try {
      const def = await checkRule(engine, piece.text, seen);
      seen.add(def.name.toLowerCase());
      out.push({
        name: def.name,
        severity: def.severity?.level ?? DEFAULT_SEVERITY,
        ...(def.rateLimit !== undefined ? { rateLimit: def.rateLimit } : {}),
        query: piece.text.slice(def.query.span.start, def.query.span.end),
        text: piece.text.slice(def.span.start, def.span.end),
      });
    } catch (e) {
      const name = /^\s*CREATE\s+RULE\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(piece.text)?.[1] ?? `#${i + 1}`;
      out.push(new BadRule(name, shiftDiagnostics(e, piece.start)));
    }
  }
  return out;
}

/** The rules of `script`, in order; throws the first BadRule, or a QueryError for a file without rules. */
export async function readRules(engine: Engine, script: string): Promise<Rule[]> {
  const each = await readEachRule(engine, script);
  const bad = each.find((r) => r instanceof BadRule);
  if (bad) throw bad;
  if (each.length === 0) throw new QueryError([diagnostic('unsupported', { feature: 'a rules file without a rule' }, { start: 0, end: script.length })]);
  return each.filter((r): r is Rule => !(r instanceof BadRule));
}
