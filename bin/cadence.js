#!/usr/bin/env node
// ink's colour library ignores NO_COLOR; FORCE_COLOR=0 silences it before anything loads.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';
process.env.NODE_ENV ??= 'production';
// A reader that stops early (`cadence export leads | head -1`) closes the pipe, and the
// next write fails with EPIPE. Nobody is left to read the rest, so stop quietly, and with
// 0: the reader got what it asked for, and `set -o pipefail` scripts must not see a
// failure for it (a SIGPIPE death would be 141). Commands print their result after the
// work is done, so only output is cut short. A closed stderr is ignored instead, so the
// exit code still tells of a failure that could not be printed. Other errors are real.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.stderr.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
