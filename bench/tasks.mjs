// Bench: the terminal task list with 10,000 open tasks. Time from process start to the
// first frame, in a real pseudo-terminal (util-linux `script`), beside `node -e 0` (and
// `node -e 0` under `script`, with the same `stty` size); then the time to apply an action: a key pressed in the app
// until the frame shows it done (the action's transaction and the list read again), and
// the session call alone. The store is filled with SQL.
// Usage: npm run bench:tasks [-- --tasks 10000 --runs 7]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const total = arg('--tasks', 10_000);
const runs = arg('--runs', 7);
const bin = join(root, 'bin', 'cadence.js');
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-tasks-'));
const ws = join(dir, 'ws');
const NOW = '2026-12-01T15:00:00.000Z';
const env = { ...process.env, CADENCE_NOW: NOW, CADENCE_USER: 'alex', NO_COLOR: '1', TERM: 'xterm-256color' };
delete env.CI;
const run = (args) => execFileSync(process.execPath, [bin, ...args], { cwd: ws, encoding: 'utf8', env });

execFileSync(process.execPath, [bin, 'init', ws]);
writeFileSync(join(ws, 'seed.csv'), 'email,first_name,last_name,company\nseed@example.org,Seed,Lead,Seed Co\n');
run(['import', 'seed.csv']);
run(['enroll', 'outbound-18day', '--lead', 'seed@example.org']);
run(['tasks', '--json']); // writes the validation cache, as any earlier command would

const db = new Database(join(ws, '.cadence', 'cadence.db'));
const version = db.prepare('SELECT version FROM enrollments LIMIT 1').pluck().get();
const insertLead = db.prepare("INSERT INTO leads (email, first_name, last_name, full_name, company, timezone, language, owner, custom, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'alex', '{}', ?, ?)");
const insertEnrollment = db.prepare("INSERT INTO enrollments (lead_id, sequence, version, state, step_index, step_id, due_at, enrolled_at, last_done_at, updated_at, actor) VALUES (?, 'outbound-18day', ?, 'active', 2, 'social-1', '2027-06-01T15:00:00.000Z', ?, ?, ?, 'bench')");
const insertTask = db.prepare("INSERT INTO tasks (enrollment_id, lead_id, sequence, step_id, type, owner, due_at, expires_at, state, created_at) VALUES (?, ?, 'outbound-18day', 'call-1', 'call', 'alex', ?, NULL, 'open', ?)");
db.transaction(() => {
  for (let i = 0; i < total; i++) {
    // A fifth Japanese, so the width-aware columns do real work.
    const ja = i % 5 === 0;
    const lead = Number(insertLead.run(`lead${i}@example.org`, ja ? '太郎' : `Lead${i}`, ja ? '山田' : 'Test', ja ? `山田 太郎${i}` : `Lead${i} Test`, ja ? `株式会社サンプル${i % 97}` : `Company ${i % 997}`, ja ? 'Asia/Tokyo' : 'America/New_York', ja ? 'ja' : 'en', NOW, NOW).lastInsertRowid);
    const enrollment = Number(insertEnrollment.run(lead, version, NOW, NOW, NOW).lastInsertRowid);
    insertTask.run(enrollment, lead, new Date(Date.parse(NOW) - (i % 72) * 3_600_000).toISOString(), NOW);
  }
})();
db.close();

/**
 * Runs a command in a pseudo-terminal; resolves, once it has exited, with the ms until the
 * screen showed `marker` (or until it exited, without one) and what `then` measured.
 */
function inTerminal(command, marker, then = async () => undefined) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', `stty cols 150 rows 45; ${command}`, '/dev/null'], { cwd: ws, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let screen = '';
    let shown;
    let extra;
    const stop = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk) => {
      screen += chunk.toString('utf8');
      if (marker !== undefined && shown === undefined && screen.includes(marker)) {
        shown = Number(process.hrtime.bigint() - start) / 1e6;
        // Keys typed before the app reads the terminal would wait in the line discipline.
        setTimeout(() => {
          Promise.resolve(then(child, () => screen)).then((value) => {
            extra = value;
            child.stdin.write('q');
          }, reject);
        }, 300);
      }
    });
    child.on('exit', () => {
      clearTimeout(stop);
      if (marker === undefined) resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6 });
      else if (shown === undefined) reject(new Error(`never showed ${marker}:\n${screen.slice(-2000)}`));
      else resolve({ ms: shown, extra });
    });
  });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const node = `'${process.execPath}'`;
const tasksCommand = `${node} '${bin}' tasks --all-owners`;

const floor = median(Array.from({ length: runs }, () => {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - start) / 1e6;
}));
const floorPty = [];
for (let i = 0; i < runs; i++) floorPty.push((await inTerminal(`${node} -e 0`, undefined)).ms);
const first = [];
for (let i = 0; i < runs; i++) first.push((await inTerminal(tasksCommand, `${total} open`)).ms);

// An action in the app: press s, type a reason, Enter; until the frame says it was skipped.
const actions = [];
for (let i = 0; i < runs; i++) {
  const { extra } = await inTerminal(tasksCommand, `${total - i} open`, async (child, screen) => {
    child.stdin.write('s');
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.stdin.write('bench');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const before = screen().length;
    const start = process.hrtime.bigint();
    child.stdin.write('\r');
    for (;;) {
      if (screen().slice(before).includes('skipped:')) return Number(process.hrtime.bigint() - start) / 1e6;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  actions.push(extra);
}

// The session call alone (the action's transaction, then the list read again), in process.
const { TaskSession } = await import(join(root, 'dist', 'engine', 'task-session.js'));
const { openStore } = await import(join(root, 'dist', 'store', 'database.js'));
const { validateWorkspace } = await import(join(root, 'dist', 'workspace', 'validate.js'));
const validation = validateWorkspace(ws);
const defs = (sources) => new Map([...sources].flatMap(([id, source]) => (source.definition ? [[id, source.definition]] : [])));
const store = openStore(join(ws, '.cadence', 'cadence.db'));
const session = new TaskSession({ store, workspace: { root: ws, config: validation.workspace.config.definition, sequences: defs(validation.workspace.sequences), templates: defs(validation.workspace.templates) }, actor: 'alex', clock: () => new Date(NOW), filter: { due: 'all' } });
await session.prepare();
const calls = [];
const lists = [];
for (let i = 0; i < runs * 3; i++) {
  const [task] = session.list().tasks;
  let start = process.hrtime.bigint();
  session.snooze(task.id, 'hour');
  calls.push(Number(process.hrtime.bigint() - start) / 1e6);
  start = process.hrtime.bigint();
  session.list();
  lists.push(Number(process.hrtime.bigint() - start) / 1e6);
}
store.close();

console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}`);
console.log(`store: ${total.toLocaleString('en-US')} open tasks (a fifth with Japanese names)`);
console.log(`node -e 0: ${floor.toFixed(0)} ms; under script (a pty): ${median(floorPty).toFixed(0)} ms (medians of ${runs})`);
console.log(`cadence tasks, start to first frame: ${median(first).toFixed(0)} ms (median of ${runs}; min ${Math.min(...first).toFixed(0)}, max ${Math.max(...first).toFixed(0)}; target < 600 ms)`);
console.log(`an action in the app (s, reason, Enter → frame shows it): ${median(actions).toFixed(0)} ms (median of ${runs}; max ${Math.max(...actions).toFixed(0)})`);
console.log(`session call alone: snooze ${median(calls).toFixed(1)} ms, the list read again ${median(lists).toFixed(1)} ms (medians of ${runs * 3})`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
