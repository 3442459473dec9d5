/** Where a command writes: the CLI passes the process streams, tests pass buffers. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout and stdin are an interactive terminal (ink). */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTTY: boolean;
  /** Resolves once stdout has taken what was written, for long outputs (an export). */
  drain?: () => Promise<void>;
  /** Asks a question at the terminal and returns the answer (only when isTTY). */
  ask?: (question: string) => Promise<string>;
}

export function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY && !process.env.CI),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    ask: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const readline = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await readline.question(question);
      } finally {
        readline.close();
      }
    },
    drain: () => (process.stdout.writableNeedDrain ? new Promise((resolve) => process.stdout.once('drain', () => resolve())) : Promise.resolve()),
  };
}

/** One run of the CLI: its streams, and the exit code a command sets. */
export interface Cli {
  io: Io;
  exitCode: number;
}
