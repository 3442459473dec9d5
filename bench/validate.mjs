// Bench: `cadence validate` on a generated workspace of 500 sequences and 1,000 templates,
// timed as a whole process (what CI pays per pull request), beside `node -e 0`.
// Usage: npm run bench:validate [-- --runs 7]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-validate-'));

cpSync(join(root, 'starter', 'cadence.en.yaml'), join(dir, 'cadence.yaml'));
for (const folder of ['sequences', 'templates']) mkdirSync(join(dir, folder));
for (let t = 0; t < 1000; t++) {
  const manual = t % 2 === 1;
  writeFileSync(
    join(dir, 'templates', `tpl-${t}.yaml`),
    `# yaml-language-server: $schema=../schemas/template.schema.json
name: Template ${t}
channel: email
language: en
subject: "{{ lead.company }}: idea ${t} for {{ lead.first_name }}"
body: |
  Hi {{ lead.first_name }},

  ${manual ? '{% editable "opening" %}Mention something specific about {{ lead.company }}.{% endeditable %}' : `We help teams like {{ lead.company }} with item ${t}.`}
  {% if lead.title %}As {{ lead.title }}, you may care about this.{% endif %}

  {{ sender.signature }}

  {{ footer }}
  {{ unsubscribe }}
variants:
  - { id: a, weight: 50 }
  - { id: b, weight: 50, subject: "Question for {{ lead.company }}" }
`,
  );
}
for (let s = 0; s < 500; s++) {
  const auto = `tpl-${(2 * s) % 1000}`;
  const manual = `tpl-${(2 * s + 1) % 1000}`;
  writeFileSync(
    join(dir, 'sequences', `seq-${s}.yaml`),
    `# yaml-language-server: $schema=../schemas/sequence.schema.json
name: Sequence ${s}
phase: qualification
days: business
entry:
  when: 'status = "MQL" and tier in ("A", "B")'
exit:
  events: [reply, meeting_booked]
steps:
  - { id: intro, type: auto_email, day: 1, template: ${auto} }
  - { id: call-1, type: call, day: 2, instruction: Qualify the lead., outcomes: { meeting_booked: { exit: meeting_booked } } }
  - { id: personal, type: manual_email, day: 4, template: ${manual}, thread: intro }
  - { id: social, type: linkedin, day: 5, instruction: Connect on LinkedIn. }
  - { id: followup, type: auto_email, day: 7, template: ${auto}, thread: intro, when: 'interest != "security"' }
on_finish:
  - set: { status: nurture }
`,
  );
}
mkdirSync(join(dir, 'schemas'));
cpSync(join(root, 'schemas'), join(dir, 'schemas'), { recursive: true });

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: dir, stdio: 'pipe' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
}

const bin = join(root, 'bin', 'cadence.js');
const check = execFileSync(process.execPath, [bin, 'validate'], { cwd: dir, encoding: 'utf8' });
if (!check.startsWith('valid: 500 sequences, 1000 templates')) throw new Error(`generated workspace is not valid:\n${check.slice(0, 2000)}`);
// Interleave so noise from other users of the machine hits both alike.
const floor = time(['-e', '0']);
const validate = time([bin, 'validate']);
const floor2 = time(['-e', '0']);
const fmt = (r) => `median ${r.median.toFixed(0)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`;
console.log(`date: ${new Date().toISOString().slice(0, 10)}; node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}; ${runs} runs each`);
console.log(`node -e 0:                                    ${fmt(floor)} / again ${fmt(floor2)}`);
console.log(`cadence validate (500 sequences, 1000 templates): ${fmt(validate)}`);
console.log(`target: under 1500 ms: ${validate.median < 1500 ? 'met' : 'NOT met'}`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
