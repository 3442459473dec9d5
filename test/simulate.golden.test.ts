import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateSequence, type SimulatedLead } from '../src/engine/simulate.js';
import { createLiquid } from '../src/render/liquid.js';
import { formatSimulation } from '../src/cli/simulate-output.js';
import { validateWorkspace } from '../src/workspace/validate.js';
import { repoRoot } from './helpers/cli.js';

/**
 * Golden timelines of every starter sequence: a change to scheduling shows up here as a
 * diff to review. UPDATE_GOLDEN=1 rewrites the files (then read the diff before committing).
 */
const validation = validateWorkspace(repoRoot);
const config = validation.workspace.config!.definition!;
const templates = new Map([...validation.workspace.templates].map(([id, source]) => [id, source.definition!] as const));
const liquid = createLiquid();

const common = {
  company: '',
  interest: 'security',
  lost_reason: 'price',
  trial_status: 'trialing',
  tier: 'A',
  status: 'MQL',
  source: 'inquiry',
  plan: 'Standard',
  competitor: 'OtherTool',
  application_url: 'https://example.co.jp/apply',
  inquiry: 'Pricing for 50 seats',
  linkedin_url: 'https://www.linkedin.com/in/example',
};
const japanese: SimulatedLead = {
  email: 'sato.kenji@sakura-kogyo.example.co.jp',
  fields: { ...common, company: '株式会社さくら工業', first_name: '健二', last_name: '佐藤', full_name: '佐藤 健二', title: '部長', phone: '+81 3-1234-5601', timezone: 'Asia/Tokyo', language: 'ja', owner: 'yamada', meeting_at: '2026-12-28T14:00:00.000+09:00', kickoff_at: '2027-01-12T10:00:00.000+09:00', renewal_date: '2027-03-31', competitor_renewal_date: '2027-03-31' },
};
const english: SimulatedLead = {
  email: 'olivia.bennett@northwind.example.com',
  fields: { ...common, company: 'Northwind Traders', first_name: 'Olivia', last_name: 'Bennett', full_name: 'Olivia Bennett', title: 'Head of Operations', phone: '+1 212-555-0101', timezone: 'America/New_York', language: 'en', owner: 'carter', meeting_at: '2026-12-28T14:00:00.000-05:00', kickoff_at: '2027-01-12T10:00:00.000-05:00', renewal_date: '2027-03-31', competitor_renewal_date: '2027-03-31' },
};

// Enrolled on Christmas Eve morning: the timelines cross Christmas, the Japanese
// year-end closure (年末年始) and New Year's Day.
const FROM = { ja: new Date('2026-12-24T10:00:00+09:00'), en: new Date('2026-12-24T10:00:00-05:00') };

describe('simulate: golden timelines of the starter sequences', () => {
  it.each([...validation.workspace.sequences.keys()])('%s', (id) => {
    const sequence = validation.workspace.sequences.get(id)!.definition!;
    const ja = id.endsWith('-ja');
    const simulation = simulateSequence({ sequenceId: id, sequence, config, templates, liquid, lead: ja ? japanese : english, from: ja ? FROM.ja : FROM.en });
    const text = formatSimulation(simulation);
    const file = join(repoRoot, 'test', 'golden', 'simulate', `${id}.txt`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/simulate.golden.test.ts and review it`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
