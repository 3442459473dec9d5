/**
 * A test hook for crash tests: called after each committed step of trigger work (the id
 * of the last event handled, 0 for date firings). Set by the CLI from
 * CADENCE_TEST_KILL_AFTER_TRIGGER_EVENTS, which kills the process (SIGKILL) after that
 * many commits, so a test can stop a tick exactly between two events.
 */
let hook: ((eventId: number) => void) | undefined;

export function triggerCrashHook(): ((eventId: number) => void) | undefined {
  return hook;
}

export function killAfterTriggerCommits(commits: number, kill: () => void): void {
  let seen = 0;
  hook = () => {
    seen++;
    if (seen >= commits) kill();
  };
}
