import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The installed package's folder (this file is in src/ or dist/): schemas and the starter library ship there. */
export const packageRoot = fileURLToPath(new URL('../', import.meta.url));

export function packageVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as { version: string }).version;
}
