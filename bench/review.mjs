// Bench: the cost of sequence review on a big store, each timed as a whole process beside
// `node -e 0`: the version check an idle tick makes, `cadence plan` for a retimed step, the
// tick that then moves every enrollment onto the new version, and `cadence diff` of the
// starter library between two commits.
// Usage: npm run bench:review [-- --enrollments 100000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { fillOutboundStore } from './outbound-store.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const total = arg('--enrollments', 100_000);
const bin = join(root, 'bin', 'cadence.js');
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-review-'));
const ws = join(dir, 'ws');
const NOW = '2026-12-01T15:00:00.000Z';
const env = { ...process.env, CADENCE_NOW: NOW, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.org', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.org' };
const run = (args) => execFileSync(process.execPath, [bin, ...args], { cwd: ws, encoding: 'utf8', env });
const git = (...args) => execFileSync('git', args, { cwd: ws, env, encoding: 'utf8' });

execFileSync(process.execPath, [bin, 'init', ws]);
// Every lead waits for the outbound sequence's last step (the break-up email, day 18), due in June.
const version = fillOutboundStore(ws, run, { total, now: NOW, step: { index: 9, id: 'breakup' }, dueAt: () => '2027-06-01T15:00:00.000Z' });
git('init', '-q', '-b', 'main');
git('add', '.');
git('commit', '-qm', 'starter');

function time(args) {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: ws, env, stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

run(['tick']); // writes the validation cache
const floor = median([1, 2, 3, 4, 5].map(() => time(['-e', '0'])));
const idle = median([1, 2, 3, 4, 5].map(() => time([bin, 'tick'])));
// The change under review: the break-up email moves from day 18 to day 20, and a template is reworded.
const file = join(ws, 'sequences', 'outbound-18day.yaml');
const text = readFileSync(file, 'utf8');
if (!/day: 18\n/.test(text)) throw new Error('the outbound sequence no longer has a day-18 step');
writeFileSync(file, text.replace(/day: 18\n/, 'day: 20\n'));
const template = join(ws, 'templates', 'outbound-breakup.yaml');
writeFileSync(template, readFileSync(template, 'utf8').replace('Hi {{ lead.first_name }}', 'Hello {{ lead.first_name }}'));
git('commit', '-qam', 'a later break-up');
git('checkout', '-q', 'HEAD~1');
const plan = time([bin, 'plan', '--ref', 'main', '--json']);
const diff = median([1, 2, 3].map(() => time([bin, 'diff', 'HEAD', 'main'])));
git('checkout', '-q', 'main');
const reconcile = time([bin, 'tick']);
const moved = new Database(join(ws, '.cadence', 'cadence.db'), { readonly: true }).prepare("SELECT count(*) FROM enrollments WHERE due_at <> '2027-06-01T15:00:00.000Z' AND version <> '" + version + "'").pluck().get();
if (moved !== total) throw new Error(`expected ${total} enrollments rescheduled, got ${moved}`);

console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`store: ${total.toLocaleString('en-US')} active enrollments of outbound-18day`);
console.log(`node -e 0: ${floor.toFixed(0)} ms (median of 5)`);
console.log(`tick, nothing due (with the version check): ${idle.toFixed(0)} ms (median of 5); ${(idle - floor).toFixed(0)} ms above the floor (target: within 200 ms)`);
console.log(`cadence diff HEAD main (starter library, a step retimed and a template reworded): ${diff.toFixed(0)} ms (median of 3)`);
console.log(`cadence plan --ref main (two store copies, two ticks): ${(plan / 1000).toFixed(1)} s`);
console.log(`tick that moves ${total.toLocaleString('en-US')} enrollments onto the new version: ${(reconcile / 1000).toFixed(1)} s, ${Math.round(total / (reconcile / 1000)).toLocaleString('en-US')} enrollments/s`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
