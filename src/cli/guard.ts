// Imported first by the command line, before anything else is loaded: bpfql runs as root, so
// nothing may open a way into the process that the user did not ask for.
//
// Node starts its inspector (a debugger that runs any code sent to it) on 127.0.0.1:9229 when the
// process gets SIGUSR1; Node 20 has no flag to turn that off, but a listener for the signal
// replaces Node's own handler, so the inspector can no longer be started by a signal. Any process
// that may signal bpfql (same uid, or root) could otherwise take it over.
import inspector from 'node:inspector';

process.on('SIGUSR1', () => undefined);

/**
 * Why bpfql won't run: an inspector already open (node --inspect, or NODE_OPTIONS=--inspect)
 * would let whoever reaches the port run code as root. undefined when none is open.
 */
export function openInspector(): string | undefined {
  const url = inspector.url();
  if (url === undefined) return undefined;
  inspector.close();
  return `the Node.js inspector is open (${url}): bpfql does not run with a debugger port open; remove --inspect from node's flags and NODE_OPTIONS`;
}
