/**
 * A test hook for crash tests: `CADENCE_CRASH_AT=point:N` kills this process with SIGKILL
 * the Nth time it passes `point` — `queued` (a batch of steps done and committed),
 * `sending` (a batch of messages marked sending, before the transport has them),
 * `delivered` (the transport accepted a message, before that is recorded) or `trigger`
 * (an event's trigger work committed, before the next event). Unset, it costs one
 * comparison.
 */
const spec = /^(\w+):(\d+)$/.exec(process.env.CADENCE_CRASH_AT ?? '');
let passes = 0;

export function crashPoint(point: 'queued' | 'sending' | 'delivered' | 'trigger'): void {
  if (!spec || spec[1] !== point) return;
  passes++;
  if (passes >= Number(spec[2])) process.kill(process.pid, 'SIGKILL');
}
