import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiquid } from '../src/render/liquid.js';
import { stepTemplateRefs } from '../src/workspace/step-templates.js';
import { validateWorkspace } from '../src/workspace/validate.js';
import { repoRoot } from './helpers/cli.js';

const result = validateWorkspace(repoRoot);
const { workspace } = result;

describe('the starter library (this repository as a workspace)', () => {
  it('validates with no errors and no warnings', () => {
    expect(result.problems).toEqual([]);
  });

  it('has every real-world sequence in English and Japanese', () => {
    const ids = [...workspace.sequences.keys()];
    for (const id of [
      'inbound-8day',
      'outbound-18day',
      'meeting-reminder',
      'post-meeting-thanks',
      'closing-chase',
      'onboarding-kickoff',
      'trial-conversion',
      'renewal-upgrade',
      'lost-deal-recycle',
    ]) {
      expect(ids).toContain(id);
      expect(ids).toContain(`${id}-ja`);
    }
  });

  it.each([...workspace.sequences.keys()])('sequence %s is schema-valid and uses templates of its own language', (id) => {
    const sequence = workspace.sequences.get(id)!.definition!;
    expect(sequence).toBeDefined();
    const japanese = id.endsWith('-ja');
    expect(sequence.language).toBe(japanese ? 'ja' : 'en');
    for (const step of sequence.steps) {
      for (const ref of stepTemplateRefs(step)) expect(ref.id.endsWith('-ja')).toBe(japanese);
    }
  });

  const lead = {
    email: 'sato.kenji@sakura-kogyo.example.co.jp',
    first_name: '健二',
    last_name: '佐藤',
    full_name: '佐藤 健二',
    company: '株式会社さくら工業',
    title: '部長',
    phone: '+81 3-1234-5601',
    linkedin_url: 'https://www.linkedin.com/in/example',
    meeting_at: '2026-12-03T10:00:00+09:00',
    kickoff_at: '2026-12-10T14:00:00+09:00',
    renewal_date: '2027-03-31',
    competitor_renewal_date: '2027-05-31',
    competitor: 'OtherTool',
    plan: 'Standard',
    application_url: 'https://example.co.jp/apply',
    interest: 'security',
    lost_reason: 'price',
    trial_status: 'trialing',
    inquiry: '料金について',
    tier: 'A',
  };
  const context = {
    lead,
    sender: { name: 'sato', display_name: '佐藤 一郎', email: 'sato@example.co.jp', title: '営業部', phone: '03-0000-0000', signature: '佐藤 一郎' },
    org: { company: '株式会社サンプル', postal_address: '東京都千代田区', phone: '03-0000-0000', website: 'https://example.co.jp', opt_out_contact: 'optout@example.co.jp' },
    footer: '株式会社サンプル 東京都千代田区',
    unsubscribe: 'unsubscribe: mailto:unsubscribe+token@example.co.jp',
    unsubscribe_mailto: 'mailto:unsubscribe+token@example.co.jp',
    unsubscribe_url: 'https://example.co.jp/u/token',
  };
  const liquid = createLiquid();

  it.each(readdirSync(join(repoRoot, 'templates')).map((name) => name.replace(/\.yaml$/, '')))(
    'template %s renders in strict mode with a complete lead',
    (id) => {
      const template = workspace.templates.get(id)!.definition!;
      const texts = [template.subject, template.body, ...(template.variants ?? []).flatMap((v) => [v.subject, v.body])];
      for (const text of texts.filter((t): t is string => t !== undefined)) {
        const rendered = liquid.parseAndRenderSync(text, context);
        expect(rendered.trim().length).toBeGreaterThan(0);
        expect(rendered).not.toContain('{{');
      }
    },
  );
});
