// What the REPL needs from the engine, as an interface so components and the runner can be tested
// with a fake. The REPL holds no compiler logic: statements go to Engine.execute, as in the CLI.
import type { Engine, Outcome, RunContext } from '../engine/engine.js';
import { completeMembers } from '../planner/typed-fields.js';
import type { CompletionNames } from './completion.js';

export interface Backend {
  execute(text: string, ctx: RunContext): Promise<Outcome>;
  /** Table and column names for completion, as they are now. */
  names(): Promise<CompletionNames>;
  /** Frees the kernel objects of finished queries (slow: call once results are shown). */
  release(): void;
}

export function engineBackend(engine: Engine): Backend {
  return {
    execute: (text, ctx) => engine.execute(text, ctx),
    release: () => engine.teardownKernel(),
    async names() {
      const duck = new Map<string, string[]>();
      const r = await engine.session.run(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name NOT LIKE '\\_\\_bpfql%' ESCAPE '\\' ORDER BY table_name, ordinal_position",
      );
      for (const [table, column] of r.rows) {
        const key = String(table).toLowerCase();
        duck.set(key, [...(duck.get(key) ?? []), String(column)]);
      }
      const kernelTables = [...engine.catalog.curatedNames(), ...safely(() => engine.catalog.tracepointNames(), [])];
      return {
        tables: [...kernelTables, ...duck.keys()],
        columnsOf: (table) => {
          const own = duck.get(table);
          if (own) return own;
          if (!engine.catalog.isKernelTableName(table)) return [];
          return safely(() => {
            const t = engine.catalog.resolve(table);
            return t.kind === 'table' ? t.table.columns.map((c) => c.name) : [];
          }, []);
        },
        membersOf: (table, parts) => safely(() => {
          const t = engine.catalog.resolve(table);
          return t.kind === 'table' ? completeMembers(t.table, parts, engine.plannerEnv) : [];
        }, []),
      };
    },
  };
}

/** Completion is a convenience: a kernel that cannot be read (no tracefs) just offers fewer names. */
function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
