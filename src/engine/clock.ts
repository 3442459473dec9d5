import { CadenceError } from '../errors.js';

/** Over SMTP a clock ahead of real time would send real email early: refused (a minute of slack). */
export function refuseClockAhead(at: Date, transport: 'outbox' | 'smtp'): void {
  if (transport !== 'smtp') return;
  const ahead = at.getTime() - Date.now();
  if (ahead > 60_000) {
    throw new CadenceError('CLOCK_AHEAD', `--now or CADENCE_NOW is ${Math.round(ahead / 60_000)} minutes ahead of the clock, and the transport is smtp: nothing was sent`, {
      hint: 'rehearse future days on a copy of the workspace with transport: outbox; over smtp, act at the real time',
    });
  }
}
