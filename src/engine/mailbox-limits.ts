import type { Database } from 'better-sqlite3';
import { DateTime } from 'luxon';
import { mailboxSends } from '../store/messages.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { addDuration, parseDuration } from './durations.js';

/**
 * A mailbox's daily cap and minimum gap between sends, counted over the messages it has
 * queued, sent or is sending (the day in the workspace's time zone). Read again at the
 * start of each claimed batch, under the write lock, so overlapping ticks count together.
 */
export class MailboxLimits {
  private readonly state = new Map<string, { count: number; latest: Date | null }>();
  private readonly dayStart: DateTime;

  constructor(
    private readonly config: WorkspaceConfig,
    private readonly now: Date,
  ) {
    this.dayStart = DateTime.fromJSDate(now, { zone: config.timezone }).startOf('day');
  }

  /** Reads the counts again (call inside the batch's transaction). */
  refresh(db: Database): void {
    this.state.clear();
    for (const [name, mailbox] of Object.entries(this.config.mailboxes ?? {})) {
      if (mailbox.daily_cap === undefined && mailbox.min_gap === undefined) continue;
      const sends = mailboxSends(db, name, this.dayStart.toJSDate().toISOString());
      this.state.set(name, { count: sends.count, latest: sends.latest ? new Date(sends.latest) : null });
    }
  }

  /**
   * When a message from this mailbox may go, if not now: over the daily cap, at the start
   * of the next day (a date-anchored step a second ahead of the others, so it goes first);
   * within the minimum gap, when the gap has passed.
   */
  waitFor(name: string | null, dateAnchored: boolean): Date | undefined {
    if (name === null) return undefined;
    const mailbox = this.config.mailboxes?.[name];
    const state = this.state.get(name);
    if (!mailbox || !state) return undefined;
    if (mailbox.daily_cap !== undefined && state.count >= mailbox.daily_cap) {
      return new Date(this.dayStart.plus({ days: 1 }).toMillis() + (dateAnchored ? 0 : 1_000));
    }
    if (mailbox.min_gap !== undefined && state.latest) {
      const earliest = addDuration(state.latest, parseDuration(mailbox.min_gap), this.config.timezone).at;
      if (earliest.getTime() > this.now.getTime()) return earliest;
    }
    return undefined;
  }

  /** Counts a message just queued from this mailbox. */
  count(name: string | null): void {
    const state = name === null ? undefined : this.state.get(name);
    if (!state) return;
    state.count++;
    state.latest = this.now;
  }
}
