// Shared by the benches: fills a workspace's store with leads enrolled in the starter
// outbound sequence, written with SQL (enrolling a million leads through the CLI is not
// what is measured). One real lead goes through the CLI first, so the store, the
// sequence version and the validation cache exist.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * @param {string} ws the workspace folder
 * @param {(args: string[]) => unknown} run runs the CLI in it
 * @param {{ total: number, now: string, step: { index: number, id: string }, dueAt: (i: number) => string }} options
 * @returns {string} the sequence version the enrollments are on
 */
export function fillOutboundStore(ws, run, { total, now, step, dueAt }) {
  writeFileSync(join(ws, 'seed.csv'), 'email,first_name,last_name,company\nseed@example.org,Seed,Lead,Seed Co\n');
  run(['import', 'seed.csv']);
  run(['enroll', 'outbound-18day', '--lead', 'seed@example.org']);
  const db = new Database(join(ws, '.cadence', 'cadence.db'));
  // Filled without a log file: a log the size of a 50,000-row transaction, deleted when the
  // connection closes, leaves this machine's disk (mounted with `discard`) slow to create
  // files for a while after, which the tick bench would then measure instead of the tick.
  db.pragma('journal_mode = MEMORY');
  const version = db.prepare('SELECT version FROM enrollments LIMIT 1').pluck().get();
  db.exec('DELETE FROM enrollments');
  const insertLead = db.prepare("INSERT INTO leads (email, first_name, last_name, full_name, company, timezone, language, custom, created_at, updated_at) VALUES (?, ?, 'Test', ?, ?, 'America/New_York', 'en', '{}', ?, ?)");
  const insertEnrollment = db.prepare("INSERT INTO enrollments (lead_id, sequence, version, state, step_index, step_id, due_at, enrolled_at, last_done_at, updated_at, actor) VALUES (?, 'outbound-18day', ?, 'active', ?, ?, ?, ?, ?, ?, 'bench')");
  for (let start = 0; start < total; start += 50_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(total, start + 50_000); i++) {
        const id = Number(insertLead.run(`lead${i}@example.org`, `Lead${i}`, `Lead${i} Test`, `Company ${i % 997}`, now, now).lastInsertRowid);
        insertEnrollment.run(id, version, step.index, step.id, dueAt(i), now, now, now);
      }
    })();
  }
  db.pragma('journal_mode = WAL');
  db.close();
  // On disk, as a store that has served for a while is: the tick is measured, not the
  // writing back of the fill.
  execFileSync('sync');
  return version;
}
