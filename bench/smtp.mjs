// Bench: `cadence tick` delivering N messages over SMTP to a local smtp-server (in its own
// process), beside a bare nodemailer pooled send loop (bench/smtp-bare.mjs: 5 connections,
// maxMessages: Infinity) of as many messages to the same server in the same run, each a
// whole process, alternating over 3 rounds; and `node -e 0`.
// Usage: npm run bench:smtp [-- --messages 5000]
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { fillOutboundStore } from './outbound-store.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const total = arg('--messages', 5_000);
const bin = join(root, 'bin', 'cadence.js');
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-smtp-'));
const ws = join(dir, 'ws');
// In the past: over SMTP the clock may not run ahead of real time.
const NOW = '2026-11-17T15:00:00.000Z';

const server = fork(join(root, 'bench', 'smtp-server.mjs'), { stdio: 'inherit' });
const { port } = await new Promise((resolve) => server.once('message', resolve));
const count = () => new Promise((resolve) => { server.once('message', (message) => resolve(message.received)); server.send('count'); });

execFileSync(process.execPath, [bin, 'init', ws]);
const config = join(ws, 'cadence.yaml');
writeFileSync(
  config,
  readFileSync(config, 'utf8')
    .replace('transport: outbox', 'transport: smtp')
    .replace('host: smtp.example.com\n      port: 587\n      user: alex@example.com\n      password_env: CADENCE_SMTP_ALEX     # the password itself stays in the environment', `host: 127.0.0.1\n      port: ${port}\n      secure: false`)
    .replace(/daily_cap: 200/g, 'daily_cap: 100000000'),
);
// BENCH_NODE_ARGS (e.g. --cpu-prof) goes to the cadence processes, for profiling.
const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
const run = (args) => execFileSync(process.execPath, [...nodeArgs, bin, ...args], { cwd: ws, encoding: 'utf8', env: { ...process.env, CADENCE_NOW: NOW } });
fillOutboundStore(ws, run, { total, now: NOW, step: { index: 0, id: 'intro' }, dueAt: () => NOW });

// The bare loop, a process of its own timed whole like the tick (both start cold).
async function bare() {
  const before = await count();
  const start = performance.now();
  execFileSync(process.execPath, [join(root, 'bench', 'smtp-bare.mjs'), String(port), String(total)]);
  const ms = performance.now() - start;
  if ((await count()) - before !== total) throw new Error('the bare loop did not deliver every message');
  return ms;
}
async function tick() {
  const before = await count();
  const start = performance.now();
  const out = JSON.parse(execFileSync(process.execPath, [...nodeArgs, bin, 'tick', '--json'], { cwd: ws, encoding: 'utf8', env: { ...process.env, CADENCE_NOW: NOW }, stdio: ['ignore', 'pipe', 'inherit'] }));
  const ms = performance.now() - start;
  const delivered = (await count()) - before;
  if (out.emailsSent !== total || delivered !== total) throw new Error(`expected ${total} emails, the tick sent ${out.emailsSent} and the server got ${delivered}`);
  return ms;
}
/** Puts every enrollment back on its first step, due, with no messages: the next tick sends them all again. */
function reset() {
  const store = new Database(join(ws, '.cadence', 'cadence.db'));
  store.exec(`DELETE FROM messages; DELETE FROM events WHERE type LIKE 'email.%'; UPDATE enrollments SET step_index = 0, step_id = 'intro', due_at = '${NOW}', last_done_at = '${NOW}', claimed_by = NULL`);
  store.close();
}
// Rounds side by side, the two alternating, so the machine's noise falls on both; medians reported.
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bareTimes = [];
const tickTimes = [];
const floors = [];
for (let round = 0; round < 3; round++) {
  reset();
  bareTimes.push(await bare());
  const floorStart = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  floors.push(performance.now() - floorStart);
  tickTimes.push(await tick());
}
server.kill();
const bareMs = median(bareTimes);
const tickMs = median(tickTimes);
const floor = median(floors);

const bareRate = total / (bareMs / 1000);
const tickRate = total / (tickMs / 1000);
console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`node -e 0: ${floor.toFixed(0)} ms (median of 3)`);
console.log(`bare nodemailer pooled loop, ${total.toLocaleString('en-US')} messages (whole process, median of 3 rounds): ${(bareMs / 1000).toFixed(2)} s, ${Math.round(bareRate).toLocaleString('en-US')} msg/s`);
console.log(`cadence tick over SMTP, ${total.toLocaleString('en-US')} due (whole process, median of 3 rounds alternating with the loop): ${(tickMs / 1000).toFixed(2)} s, ${Math.round(tickRate).toLocaleString('en-US')} msg/s = ${((tickRate / bareRate) * 100).toFixed(0)}% of the bare loop (target: at least 50%)`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
