// Bench: `cadence tick` on the outbox transport with many active enrollments, some due,
// and a tick with nothing due, each timed as a whole process beside `node -e 0`.
// The store is filled with SQL (leads and enrollments of the outbound sequence), since
// enrolling a million leads through the CLI is not what is measured here.
// Usage: npm run bench:tick [-- --enrollments 1000000 --due 10000]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { fillOutboundStore } from './outbound-store.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const total = arg('--enrollments', 1_000_000);
const due = arg('--due', 10_000);
const bin = join(root, 'bin', 'cadence.js');
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-tick-'));
const ws = join(dir, 'ws');
const NOW = '2026-12-01T15:00:00.000Z';
const PROBE_FILES = 2_000;
const run = (args, env = {}) => execFileSync(process.execPath, [bin, ...args], { cwd: ws, encoding: 'utf8', env: { ...process.env, CADENCE_NOW: NOW, ...env } });

execFileSync(process.execPath, [bin, 'init', ws]);
// The starter mailbox sends at most 200 a day; the bench measures the engine, not the cap.
writeFileSync(join(ws, 'cadence.yaml'), readFileSync(join(ws, 'cadence.yaml'), 'utf8').replace(/daily_cap: 200/g, 'daily_cap: 100000000'));
const later = '2027-06-01T15:00:00.000Z';
const every = Math.floor(total / due);
// The due ones spread through the table, as real enrollments would be.
fillOutboundStore(ws, run, { total, now: NOW, step: { index: 0, id: 'intro' }, dueAt: (i) => (i % every === 0 && i / every < due ? NOW : later) });

function time(args, env) {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, args, { cwd: ws, encoding: 'utf8', env: { ...process.env, CADENCE_NOW: NOW, ...env } });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

// A tick with nothing due: at a time before anything is due.
const early = { CADENCE_NOW: '2026-11-30T15:00:00.000Z' };
run(['tick'], early); // writes the validation cache
const floor = median([1, 2, 3, 4, 5].map(() => time(['-e', '0']).ms));
const idle = median([1, 2, 3, 4, 5].map(() => time([bin, 'tick'], early).ms));
// How fast this disk creates files right now, the outbox's way (written in a temporary
// folder, renamed into place, one after another), in a folder of its own beside the
// workspace: after large deletions (a removed store, a test run) this machine's disk,
// mounted with `discard`, creates them up to 15 times slower for a minute or so.
const probeDir = join(dir, 'probe');
mkdirSync(join(probeDir, '.tmp'), { recursive: true });
const probeBytes = Buffer.alloc(3_000, 'x');
const probeStart = process.hrtime.bigint();
for (let i = 0; i < PROBE_FILES; i++) {
  writeFileSync(join(probeDir, '.tmp', `${i}.eml`), probeBytes);
  renameSync(join(probeDir, '.tmp', `${i}.eml`), join(probeDir, `${i}.eml`));
}
const probeRate = PROBE_FILES / (Number(process.hrtime.bigint() - probeStart) / 1e9);
const busy = time([bin, 'tick', '--json']);
const result = JSON.parse(busy.out);
// The tick's own work, from the times it recorded (the real clock): the process less Node's
// start-up, loading cadence and the workspace, and closing the store.
const work = (() => {
  const db = new Database(join(ws, '.cadence', 'cadence.db'), { readonly: true });
  const row = db.prepare('SELECT started_at, finished_at FROM ticks ORDER BY id DESC LIMIT 1').get();
  db.close();
  return Date.parse(row.finished_at) - Date.parse(row.started_at);
})();
const files = readdirSync(join(ws, '.cadence', 'outbox')).filter((name) => name.endsWith('.eml')).length;
if (result.emailsSent !== due || files !== due) throw new Error(`expected ${due} emails, got ${result.emailsSent} (${files} files)`);

console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`store: ${total.toLocaleString('en-US')} active enrollments, ${due.toLocaleString('en-US')} due`);
console.log(`node -e 0: ${floor.toFixed(0)} ms (median of 5)`);
console.log(`tick, nothing due: ${idle.toFixed(0)} ms (median of 5); ${(idle - floor).toFixed(0)} ms above the floor (target: within 200 ms)`);
console.log(`disk, just before: ${Math.round(probeRate).toLocaleString('en-US')} files/s created (${PROBE_FILES.toLocaleString('en-US')} files, the outbox's way; ${(due / probeRate).toFixed(1)} s for ${due.toLocaleString('en-US')})`);
console.log(`tick, ${due.toLocaleString('en-US')} due: ${(busy.ms / 1000).toFixed(2)} s, ${Math.round(due / (busy.ms / 1000)).toLocaleString('en-US')} steps/s (target: 5,000 steps/s); its own work ${(work / 1000).toFixed(2)} s, ${Math.round(due / (work / 1000)).toLocaleString('en-US')} steps/s`);

// The same tick again with the outbox in memory (tmpfs), to tell the engine's time from
// the disk's: creating files costs this machine's kernel far more than writing them.
if (existsSync('/dev/shm')) {
  const shm = mkdtempSync('/dev/shm/cadence-bench-outbox-');
  const again = new Database(join(ws, '.cadence', 'cadence.db'));
  again.exec(`DELETE FROM messages; DELETE FROM events WHERE type LIKE 'email.%'; UPDATE enrollments SET step_index = 0, step_id = 'intro', due_at = '${NOW}', last_done_at = '${NOW}' WHERE step_index = 1`);
  again.close();
  writeFileSync(join(ws, 'cadence.yaml'), readFileSync(join(ws, 'cadence.yaml'), 'utf8').replace('outbox: { dir: .cadence/outbox }', `outbox: { dir: ${shm} }`));
  run(['tick'], early); // validates the changed workspace
  const inMemory = time([bin, 'tick', '--json']);
  const sent = JSON.parse(inMemory.out).emailsSent;
  rmSync(shm, { recursive: true, force: true });
  if (sent !== due) throw new Error(`expected ${due} emails with the outbox in memory, got ${sent}`);
  console.log(`tick, ${due.toLocaleString('en-US')} due, outbox in memory (tmpfs): ${(inMemory.ms / 1000).toFixed(2)} s, ${Math.round(due / (inMemory.ms / 1000)).toLocaleString('en-US')} steps/s`);
}
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
