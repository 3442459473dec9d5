import { spawnSync } from 'node:child_process';
import { CadenceError } from '../errors.js';

/**
 * Runs the rep's editor (`$VISUAL`, then `$EDITOR`, then vi) on a file and waits for it,
 * with the terminal handed over. The command goes through the shell, so `code --wait`
 * works; the file name is quoted.
 */
export function runEditor(file: string, env: Readonly<Record<string, string | undefined>>): void {
  const editor = env.VISUAL || env.EDITOR || 'vi';
  const result = spawnSync(`${editor} '${file.replace(/'/g, `'\\''`)}'`, { shell: true, stdio: 'inherit', env: env as NodeJS.ProcessEnv });
  if (result.error || result.status !== 0) {
    throw new CadenceError('EDITOR_FAILED', `the editor "${editor}" ${result.error ? `could not start: ${result.error.message}` : `exited with ${result.status ?? result.signal}`}; the draft was kept as it was`, {
      hint: 'set EDITOR to an editor that waits until you close the file, like EDITOR=nano or EDITOR="code --wait"',
    });
  }
}
