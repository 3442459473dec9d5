// Bench: the triggers at the tick. A store of N leads, each with its lead.imported event
// and a competitor_renewal_date (so the starter lost-deal-recycle date trigger schedules
// every one of them), 1% of them inquiry MQLs (mql-to-inbound enrolls them). Measured:
// the first tick, which handles the N events and schedules the N dates; then a tick with
// nothing due, which must not look at the leads (target: within 200 ms of `node -e 0`).
// Usage: npm run bench:triggers [-- --leads 200000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const total = arg('--leads', 200_000);
const bin = join(root, 'bin', 'cadence.js');
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-triggers-'));
const ws = join(dir, 'ws');
const NOW = '2026-12-01T15:00:00.000Z';
const env = (now) => ({ ...process.env, CADENCE_NOW: now });

execFileSync(process.execPath, [bin, 'init', ws]);
writeFileSync(join(ws, 'seed.csv'), 'email,first_name,last_name,company\nseed@example.org,Seed,Lead,Seed Co\n');
execFileSync(process.execPath, [bin, 'import', 'seed.csv'], { cwd: ws, env: env(NOW) });
execFileSync(process.execPath, [bin, 'tick'], { cwd: ws, env: env(NOW) });

const db = new Database(join(ws, '.cadence', 'cadence.db'));
const insertLead = db.prepare("INSERT INTO leads (email, first_name, last_name, full_name, company, timezone, language, status, source, custom, created_at, updated_at) VALUES (?, ?, 'Test', ?, ?, 'America/New_York', 'en', ?, ?, ?, ?, ?)");
const insertEvent = db.prepare("INSERT INTO events (type, at, actor, lead_id, data) VALUES ('lead.imported', ?, 'bench', ?, '{}')");
for (let start = 0; start < total; start += 50_000) {
  db.transaction(() => {
    for (let i = start; i < Math.min(total, start + 50_000); i++) {
      const mql = i % 100 === 0;
      const custom = JSON.stringify({ competitor_renewal_date: `2027-${String(4 + (i % 8)).padStart(2, '0')}-15`, lost_reason: 'price', competitor: 'Globex', ...(mql ? { inquiry: 'Pricing' } : {}) });
      const id = Number(insertLead.run(`lead${i}@example.org`, `Lead${i}`, `Lead${i} Test`, `Company ${i % 997}`, mql ? 'MQL' : 'lost', mql ? 'inquiry' : 'list', custom, NOW, NOW).lastInsertRowid);
      insertEvent.run(NOW, id);
    }
  })();
}
db.close();

function time(args, now) {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, args, { cwd: ws, encoding: 'utf8', env: env(now) });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Early in the morning, before the delivery window: the tick handles the events and enrolls, sending nothing.
const first = time([bin, 'tick', '--json'], '2026-12-01T06:00:00-05:00');
const check = new Database(join(ws, '.cadence', 'cadence.db'), { readonly: true });
const scheduled = check.prepare("SELECT count(*) FROM trigger_dates WHERE state = 'pending'").pluck().get();
const enrolled = check.prepare("SELECT count(*) FROM enrollments WHERE sequence = 'inbound-8day'").pluck().get();
check.close();
if (scheduled !== total || enrolled !== total / 100) throw new Error(`expected ${total} scheduled and ${total / 100} enrolled, got ${scheduled} and ${enrolled}`);
const floor = median([1, 2, 3, 4, 5].map(() => time(['-e', '0'], NOW).ms));
const idle = median([1, 2, 3, 4, 5].map(() => time([bin, 'tick'], '2026-12-01T06:01:00-05:00').ms));

console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`store: ${total.toLocaleString('en-US')} leads, ${total.toLocaleString('en-US')} unhandled lead.imported events`);
console.log(`first tick: ${(first.ms / 1000).toFixed(1)} s — ${Math.round(total / (first.ms / 1000)).toLocaleString('en-US')} events/s; ${scheduled.toLocaleString('en-US')} date moments scheduled, ${enrolled.toLocaleString('en-US')} MQLs enrolled`);
console.log(`node -e 0: ${floor.toFixed(0)} ms (median of 5)`);
console.log(`tick, nothing due (${scheduled.toLocaleString('en-US')} date moments pending): ${idle.toFixed(0)} ms (median of 5); ${(idle - floor).toFixed(0)} ms above the floor (target: within 200 ms)`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
