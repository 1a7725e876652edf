// Which kind of hook the catalog puts tables on. Raw tracepoints cost less per event than the
// classic tracepoint (no record is formatted: +71 ns against +113 ns for an empty program here),
// so tables that can use them do; `tracepoint` keeps every table on the classic hook (to compare
// the two, or on a kernel whose raw tracepoints misbehave).
export type Hook = 'cheapest' | 'tracepoint';

export const HOOKS: readonly Hook[] = ['cheapest', 'tracepoint'];

/** The hook an environment variable's value asks for: unset or empty is the default, cheapest. */
export function parseHook(value: string | undefined): Hook {
  if (value === undefined || value === '') return 'cheapest';
  const hook = HOOKS.find((h) => h === value);
  if (hook === undefined) throw new Error(`BPFQL_HOOK is '${value}'; it takes ${HOOKS.map((h) => `'${h}'`).join(' or ')}`);
  return hook;
}
