import { describe, expect, it } from 'vitest';
import { newMessageId, newUnsubscribeToken } from './sender.js';

describe('message ids and unsubscribe tokens', () => {
  const now = new Date('2026-12-01T15:00:00Z');

  it('sort in the order they were made within a moment (so the store indexes them together), and never repeat', () => {
    const ids = Array.from({ length: 600 }, () => newMessageId(now, 'aya@example.com'));
    const tokens = Array.from({ length: 600 }, () => newUnsubscribeToken(now));
    for (const made of [ids, tokens]) {
      expect(new Set(made).size).toBe(made.length);
      // Byte order, as SQLite compares them.
      expect([...made].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(made);
    }
    expect(ids[0]).toMatch(/^<[0-9a-z]{8}\.[0-9a-z]{2}\.[0-9a-f]{16}@example\.com>$/);
  });

  it('keeps a token to 24 characters a mailto address takes as they are', () => {
    for (let i = 0; i < 100; i++) expect(newUnsubscribeToken(now)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
