import type { Database } from 'better-sqlite3';
import { DateTime } from 'luxon';
import { mailboxDeliveries, mailboxPending } from '../store/messages.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { addDuration, parseDuration } from './durations.js';

/**
 * A mailbox's daily cap and minimum gap between sends (the day in the workspace's time
 * zone). When steps are done, a new message counts against the cap with those delivered
 * today and those still to go (queued for a retry, sending, in doubt); when messages are
 * delivered, only as many go as the cap leaves after today's deliveries and those on their
 * way. Read again in each batch's transaction, under the write lock, so overlapping ticks
 * count together.
 */
export class MailboxLimits {
  private readonly state = new Map<string, { count: number; sent: number; inFlight: number; latest: Date | null }>();
  private readonly dayStart: DateTime;
  /** Today in the workspace's zone, as the store counts deliveries by day. */
  readonly day: string;

  constructor(
    private readonly config: WorkspaceConfig,
    private readonly now: Date,
  ) {
    this.dayStart = DateTime.fromJSDate(now, { zone: config.timezone }).startOf('day');
    this.day = this.dayStart.toISODate()!;
  }

  /**
   * Reads the counts again (call inside the batch's transaction). For delivering, the
   * messages still queued need not be counted (`pending: false`).
   */
  refresh(db: Database, options: { pending: boolean } = { pending: true }): void {
    this.state.clear();
    for (const [name, mailbox] of Object.entries(this.config.mailboxes ?? {})) {
      if (mailbox.daily_cap === undefined && mailbox.min_gap === undefined) continue;
      const delivered = mailboxDeliveries(db, name, this.day);
      const pending = options.pending ? mailboxPending(db, name) : { pending: delivered.inFlight, latest: null };
      const latest = [delivered.lastSent, pending.latest].filter((value): value is string => value !== null).sort().at(-1);
      this.state.set(name, { count: delivered.sent + pending.pending, sent: delivered.sent, inFlight: delivered.inFlight, latest: latest ? new Date(latest) : null });
    }
  }

  /**
   * When a message from this mailbox may go, if not now: over the daily cap, at the start
   * of the next day (a date-anchored step a second ahead of the others, so it goes first);
   * within the minimum gap, when the gap has passed.
   */
  waitFor(name: string | null, dateAnchored: boolean): Date | undefined {
    return this.wait(name, dateAnchored, (state) => state.count, true);
  }

  /**
   * The same for delivering a queued message (a retry, a resend, one queued yesterday):
   * only the cap, counting today's deliveries and those on their way. The gap was kept
   * when the message was queued; retries are spaced by their backoff.
   */
  deliveryWaitFor(name: string | null, dateAnchored: boolean): Date | undefined {
    return this.wait(name, dateAnchored, (state) => state.sent + state.inFlight, false);
  }

  private wait(name: string | null, dateAnchored: boolean, used: (state: { count: number; sent: number; inFlight: number }) => number, gap: boolean): Date | undefined {
    if (name === null) return undefined;
    const mailbox = this.config.mailboxes?.[name];
    const state = this.state.get(name);
    if (!mailbox || !state) return undefined;
    if (mailbox.daily_cap !== undefined && used(state) >= mailbox.daily_cap) {
      return new Date(this.dayStart.plus({ days: 1 }).toMillis() + (dateAnchored ? 0 : 1_000));
    }
    if (gap && mailbox.min_gap !== undefined && state.latest) {
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

  /** Counts a message just handed to the transport. */
  countDelivery(name: string | null): void {
    const state = name === null ? undefined : this.state.get(name);
    if (state) state.inFlight++;
  }
}
