import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../store/migrations.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { MailboxLimits } from './mailbox-limits.js';

const config = { timezone: 'Asia/Tokyo', mailboxes: { tanaka: { address: 'tanaka@example.co.jp', daily_cap: 1, min_gap: '5m' } } } as unknown as WorkspaceConfig;

describe('MailboxLimits', () => {
  it('over the cap, a date-anchored step waits for the start of the next day a second ahead of the others', () => {
    const db = new Database(':memory:');
    migrate(db);
    const limits = new MailboxLimits(config, new Date('2026-12-01T03:00:00Z')); // 12:00 in Tokyo
    limits.refresh(db);
    expect(limits.waitFor('tanaka', false)).toBeUndefined();
    limits.count('tanaka');
    expect(limits.waitFor('tanaka', true)).toEqual(new Date('2026-12-01T15:00:00.000Z')); // midnight in Tokyo
    expect(limits.waitFor('tanaka', false)).toEqual(new Date('2026-12-01T15:00:01.000Z'));
    expect(limits.waitFor(null, false)).toBeUndefined();
    expect(limits.waitFor('unknown', false)).toBeUndefined();
  });

  it('within the gap, waits until it has passed', () => {
    const db = new Database(':memory:');
    migrate(db);
    const limits = new MailboxLimits({ ...config, mailboxes: { tanaka: { address: 'tanaka@example.co.jp', min_gap: '5m' } } } as unknown as WorkspaceConfig, new Date('2026-12-01T03:00:00Z'));
    limits.refresh(db);
    limits.count('tanaka');
    expect(limits.waitFor('tanaka', false)).toEqual(new Date('2026-12-01T03:05:00.000Z'));
  });
});
