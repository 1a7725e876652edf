// The package version, read once from package.json.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export const VERSION = readVersion();
