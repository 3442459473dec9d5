#!/usr/bin/env node
// ink's colour library ignores NO_COLOR; FORCE_COLOR=0 silences it before anything loads.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
