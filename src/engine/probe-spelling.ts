// Tables spelt as other tracers spell probes. bpftrace's `tracepoint:syscalls:sys_enter_openat`,
// `kprobe:vfs_read` or `uprobe:/bin/bash:readline` in FROM get bpfql's spelling of the same
// events, or a sentence saying what this kernel lacks, instead of a stray-character error.
import type { Catalog } from '../catalog/catalog.js';
import { diagnostic, type Diagnostic } from '../diag/diagnostic.js';
import { span } from '../diag/span.js';
import { codeTokens, isWord, scanSql } from '../query/scan.js';

const KERNEL_FUNCTION_PROBES: ReadonlySet<string> = new Set(['kprobe', 'kretprobe', 'k', 'kr', 'fentry', 'fexit', 'f', 'fr', 'kfunc', 'kretfunc']);

/** `tracepoint.<category>.<event>` when this kernel has that tracepoint; otherwise why not. */
function tracepointTable(catalog: Catalog, category: string, event: string): { instead?: string; reason?: string } {
  const name = `tracepoint.${category}.${event}`.toLowerCase();
  const r = catalog.resolve(name);
  if (r.kind === 'unknown') return { reason: `this kernel has no tracepoint ${category}:${event}` };
  return { instead: name };
}

function advice(probe: string, catalog: Catalog): { instead?: string; reason?: string } {
  const [kind = '', ...rest] = probe.split(':');
  const k = kind.toLowerCase();
  if ((k === 'tracepoint' || k === 't') && rest.length === 2 && rest[0] && rest[1]) return tracepointTable(catalog, rest[0], rest[1]);
  if (KERNEL_FUNCTION_PROBES.has(k)) {
    const fn = rest[rest.length - 1] ?? '';
    const syscall = /^(?:__x64_sys_|__arm64_sys_|sys_|ksys_|do_sys_)?(\w+)$/.exec(fn)?.[1];
    const reason = 'kprobes and fentry do not attach on this kernel, so bpfql traces tracepoints, uprobes and CPU samples (SHOW TABLES lists them)';
    const entry = syscall !== undefined ? tracepointTable(catalog, 'syscalls', `sys_enter_${syscall}`) : {};
    return { reason, ...(entry.instead !== undefined ? { instead: `the tracepoint ${entry.instead}` } : {}) };
  }
  if ((k === 'uprobe' || k === 'u') && rest.length >= 2) {
    return { instead: `uprobe('${rest.slice(0, -1).join(':')}', '${rest[rest.length - 1]}')` };
  }
  if ((k === 'uretprobe' || k === 'ur') && rest.length >= 2) {
    return { instead: `uretprobe('${rest.slice(0, -1).join(':')}', '${rest[rest.length - 1]}')` };
  }
  if (k === 'profile' || k === 'p') {
    const hz = rest[0]?.toLowerCase() === 'hz' && /^\d+$/.test(rest[1] ?? '') ? rest[1] : undefined;
    return { instead: hz === undefined ? 'profile' : `profile(${hz})` };
  }
  return { reason: 'bpfql has no such event source (SHOW TABLES lists its tables)' };
}

/** The first bpftrace-style probe after FROM or JOIN in `sql`, as a diagnostic. */
export function probeSpelling(sql: string, catalog: Catalog): Diagnostic | undefined {
  const code = codeTokens(sql);
  const all = scanSql(sql);
  for (let i = 0; i + 2 < code.length; i++) {
    if (!(isWord(code[i], 'from') || isWord(code[i], 'join'))) continue;
    const first = code[i + 1]!;
    const colon = code[i + 2]!;
    if (first.kind !== 'word' || colon.text !== ':' || colon.start !== first.end) continue;
    // The probe runs to the next space, comma, parenthesis or semicolon.
    let end = first.end;
    for (const t of all) {
      if (t.start < first.end) continue;
      if (t.kind === 'space' || t.kind === 'comment' || [',', ')', '(', ';'].includes(t.text)) break;
      end = t.end;
    }
    const probe = sql.slice(first.start, end);
    return diagnostic('probe-spelling', { probe, ...advice(probe, catalog) }, span(first.start, end));
  }
  return undefined;
}

/** Tables an unknown dotted name may mean: `syscalls.openat` → `tracepoint.syscalls.sys_enter_openat`. */
export function dottedTableGuesses(name: string, catalog: Catalog): string[] {
  const parts = name.toLowerCase().split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return [];
  const [category, event] = parts as [string, string];
  const guesses = [`tracepoint.${category}.${event}`];
  if (category === 'syscalls' || category === 'syscall') guesses.push(`tracepoint.syscalls.sys_enter_${event}`, `tracepoint.syscalls.sys_exit_${event}`);
  return guesses.filter((g) => catalog.resolve(g).kind !== 'unknown');
}
