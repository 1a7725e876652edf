// `-o FILE` is checked before anything runs: a result traced for minutes must not be lost because
// its file cannot be written.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Why `path` cannot be written, or undefined when it can (as far as can be told before writing). */
export function outputPathProblem(path: string): string | undefined {
  const full = resolve(path);
  const dir = dirname(full);
  try {
    if (!statSync(dir).isDirectory()) return `cannot write '${path}': ${dir} is not a directory`;
  } catch {
    return `cannot write '${path}': the directory ${dir} does not exist`;
  }
  try {
    if (statSync(full).isDirectory()) return `cannot write '${path}': it is a directory`;
    accessSync(full, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return `cannot write '${path}' (${code ?? 'error'})`;
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `cannot write '${path}': the directory ${dir} is not writable`;
    }
  }
  return undefined;
}
