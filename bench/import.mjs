// Bench: `cadence import` of a generated 1,000,000-row leads CSV (about a fifth with
// Japanese names) into an empty store, then again into the full store (every row an
// update), beside the sqlite3 shell's `.import --csv` of the same file into a table with a
// unique email index, in the same run. Peak RSS from /usr/bin/time; the longest time a
// concurrent writer (a stand-in for `cadence tick`) had to wait for the store's lock.
// Usage: npm run bench:import [-- --rows 1000000]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const rows = Number(arg('--rows', 1_000_000));
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-import-'));
const bin = join(root, 'bin', 'cadence.js');

// A deterministic generator, so runs compare.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];
const EN_FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Oliver', 'Sophia', 'Elijah', 'Isabella', 'James', 'Mia', 'Lucas'];
const EN_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor'];
const JA_FIRST = ['太郎', '花子', '健二', '由美', '亮', '愛子', '誠', '純', '陽菜', '蓮', '髙志', '美咲'];
const JA_LAST = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const EN_COMPANY = ['Northwind Traders', 'Contoso Ltd', 'Fabrikam, Inc.', 'Tailspin Toys', 'Adatum Corp', 'Litware Inc'];
const JA_COMPANY = ['株式会社さくら工業', 'みどり商事株式会社', '青空ソリューションズ株式会社', 'ひかり電機株式会社', '㈱かえでシステム'];
const TITLES = ['Head of Operations', 'IT Director', 'VP Sales', 'CFO', '部長', '課長', '主任', 'Product Manager'];

async function generate(path, variant) {
  seed = 42;
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once('drain', resolve)));
  await write('email,first_name,last_name,company,department,title,phone,status,source,campaign,country,interest,tier,plan,renewal_date\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const japanese = random() < 0.2;
    const first = japanese ? pick(JA_FIRST) : pick(EN_FIRST);
    const last = japanese ? pick(JA_LAST) : pick(EN_LAST);
    const company = japanese ? pick(JA_COMPANY) : pick(EN_COMPANY);
    const phone = japanese ? `+81 3-${String(1000 + (i % 9000))}-${String(i % 10000).padStart(4, '0')}` : `+1 212-555-${String(i % 10000).padStart(4, '0')}`;
    const title = variant === 'updated' ? `${pick(TITLES)} (2027)` : pick(TITLES);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const csvCompany = company.includes(',') ? `"${company}"` : company;
    // Addresses in random order, as real lists are: the unique index sees random keys.
    const local = `${(i * 2654435761 % 4294967296).toString(36)}.${i.toString(36)}`;
    chunk += `${local}@${japanese ? 'example.co.jp' : 'example.com'},${first},${last},${csvCompany},${japanese ? '営業部' : 'Sales'},${title},${phone},${pick(['new', 'MQL', 'SQL'])},${pick(['inquiry', 'event', 'list'])},campaign-${i % 50},${japanese ? 'JP' : 'US'},${pick(['pricing', 'security', 'integration'])},${pick(['A', 'B', 'C'])},plan-${i % 7},2027-${month}-15\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise((resolve) => out.end(resolve));
}

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS in MB. */
function timed(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = execFileSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 26, ...options, env: { ...process.env, ...options.env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, stdout: result };
}

function timedWithRss(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'peak_rss_kb=%M', command, ...args], { ...options, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr += data));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const rss = Number(/peak_rss_kb=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`));
      else resolve({ seconds, rssMb: rss, stdout });
    });
  });
}

/**
 * Every 50 ms takes the store's write lock briefly, as a tick does (taking turns with the
 * import through the store's waiting marker); records the longest wait.
 */
function lockProbe(dbPath) {
  let longest = 0;
  let stopped = false;
  const loop = async () => {
    const { openStore } = await import(join(root, 'dist', 'store', 'database.js'));
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      let store;
      try {
        store = openStore(dbPath, { create: false });
      } catch {
        continue; // the store does not exist yet, or is being made
      }
      const start = performance.now();
      store.db.transaction(() => undefined).immediate();
      longest = Math.max(longest, performance.now() - start);
      store.close();
    }
  };
  const done = loop();
  return async () => {
    stopped = true;
    await done;
    return longest;
  };
}

const workspace = join(dir, 'ws');
cpSync(join(root, 'starter', 'cadence.en.yaml'), join(workspace, 'cadence.yaml'));
const csv = join(dir, 'leads.csv');
const csvUpdated = join(dir, 'leads-updated.csv');
console.error(`generating ${rows.toLocaleString('en-US')} rows in ${dir} ...`);
await generate(csv, 'base');
await generate(csvUpdated, 'updated');
const megabytes = statSync(csv).size / 1e6;

// The native anchor: the sqlite3 shell importing the same file into a table with a unique email index.
const shellDb = join(dir, 'shell.db');
writeFileSync(join(dir, 'shell.sql'), `PRAGMA journal_mode=WAL;\nCREATE TABLE leads(email TEXT NOT NULL, first_name, last_name, company, department, title, phone, status, source, campaign, country, interest, tier, plan, renewal_date);\nCREATE UNIQUE INDEX leads_email ON leads(email);\n.import --csv --skip 1 ${csv} leads\n`);
const shell = await timedWithRss('sqlite3', [shellDb, '.read shell.sql'], { cwd: dir });

const db = join(workspace, '.cadence', 'cadence.db');
const env = { CADENCE_DB: db };
let stopProbe = lockProbe(db);
const insert = await timedWithRss(process.execPath, [bin, 'import', csv, '--json'], { cwd: workspace, env });
const insertWait = await stopProbe();
stopProbe = lockProbe(db);
const update = await timedWithRss(process.execPath, [bin, 'import', csvUpdated, '--json'], { cwd: workspace, env });
const updateWait = await stopProbe();
const insertResult = JSON.parse(insert.stdout);
const updateResult = JSON.parse(update.stdout);
if (insertResult.inserted !== rows || updateResult.updated !== rows) throw new Error(`unexpected counts: ${insert.stdout.slice(0, 300)} / ${update.stdout.slice(0, 300)}`);

const rate = (seconds) => Math.round(rows / seconds).toLocaleString('en-US');
console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}; sqlite3 shell ${execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]}`);
console.log(`file: ${rows.toLocaleString('en-US')} rows, ${megabytes.toFixed(0)} MB`);
console.log(`sqlite3 shell .import (unique email index): ${shell.seconds.toFixed(1)} s, ${rate(shell.seconds)} rows/s, peak RSS ${shell.rssMb.toFixed(0)} MB`);
console.log(`cadence import, empty store (all inserts):  ${insert.seconds.toFixed(1)} s, ${rate(insert.seconds)} rows/s, peak RSS ${insert.rssMb.toFixed(0)} MB, ${((shell.seconds / insert.seconds) * 100).toFixed(0)}% of the shell's rate; ${insertResult.batches} transactions, longest ${insertResult.longestBatchMs} ms; longest wait of a concurrent writer ${insertWait.toFixed(0)} ms`);
console.log(`cadence import, full store (all updates):   ${update.seconds.toFixed(1)} s, ${rate(update.seconds)} rows/s, peak RSS ${update.rssMb.toFixed(0)} MB; ${updateResult.batches} transactions, longest ${updateResult.longestBatchMs} ms; longest wait of a concurrent writer ${updateWait.toFixed(0)} ms`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(dir);
