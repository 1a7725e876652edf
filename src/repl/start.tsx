// `bpfql` with no query at a terminal: opens the engine and runs the REPL until .quit or Ctrl-D.
import { render } from 'ink';
import type { EngineOptions } from '../engine/engine.js';
import { Engine } from '../engine/engine.js';
import { VERSION } from '../engine/version.js';
import { engineBackend } from './backend.js';
import { App } from './components/App.js';
import { History, historyPath } from './history.js';

export async function startRepl(opts: EngineOptions): Promise<number> {
  const engine = await Engine.open(opts);
  try {
    const history = History.load(historyPath());
    const banner = [
      `bpfql ${VERSION}: SQL over the running kernel. Statements end with ';'. .help for help, Ctrl-D to leave.`,
      ...(history.problem ? [history.problem] : []),
    ].join('\n');
    const app = render(<App backend={engineBackend(engine)} history={history} banner={banner} />, { exitOnCtrlC: false });
    await app.waitUntilExit();
  } finally {
    await engine.close();
  }
  return 0;
}
