// A real interactive bash fed lines by a test: on a terminal (`script` makes one), so that it
// reads them with readline, as at a keyboard.
import { spawn } from 'node:child_process';

/** Runs `<bash> -i` without start-up files, types `lines` into it; resolves when it has exited. */
export function typeInto(bash: string, lines: readonly string[]): Promise<void> {
  const child = spawn('/usr/bin/script', ['-qfec', `${bash} --norc --noprofile -i`, '/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: '/usr/bin:/bin', TERM: 'dumb' } });
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bash exited with ${code}`))));
  });
}
