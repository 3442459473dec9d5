import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { DateTime } from 'luxon';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isCadenceError } from '../errors.js';
import type { DraftCheck } from '../engine/task-email-draft.js';
import type { TaskSession } from '../engine/task-session.js';
import type { CallOutcome } from '../workspace/types.js';
import { HelpView } from './help-view.js';
import { TaskDetailView, detailLines } from './task-detail-view.js';
import { TaskListView, matchesFilter } from './task-list-view.js';

export const OUTCOMES: readonly [key: string, outcome: CallOutcome, label: string][] = [
  ['1', 'connected', 'connected'],
  ['2', 'no_answer', 'no answer'],
  ['3', 'voicemail', 'voicemail'],
  ['4', 'wrong_number', 'wrong number'],
  ['5', 'meeting_booked', 'meeting booked'],
];

type Overlay =
  | { kind: 'help' }
  | { kind: 'filter'; text: string }
  | { kind: 'outcome'; taskId: number }
  | { kind: 'snooze'; taskId: number }
  | { kind: 'prompt'; purpose: 'skip' | 'meeting' | 'snooze-date'; taskId: number; text: string; label: string }
  | { kind: 'confirm'; purpose: 'reply' | 'pause' | 'remove'; taskId: number; question: string };

/** Where the app stands: kept across a pause for the editor, so the rep comes back to the same place. */
export interface AppState {
  view: 'list' | 'detail';
  cursorTaskId: number | undefined;
  filter: string;
  fullEdit: boolean;
  message: { text: string; kind: 'info' | 'error' } | undefined;
}

export const INITIAL_STATE: AppState = { view: 'list', cursorTaskId: undefined, filter: '', fullEdit: false, message: undefined };

export interface TaskAppProps {
  session: TaskSession;
  initial?: AppState;
  /**
   * Edits a manual email's draft in the rep's editor. At a terminal the app steps aside
   * first (`'suspended'`: it exits with the state, and is started again afterwards).
   */
  editDraft: (taskId: number, fullEdit: boolean, state: AppState) => DraftCheck | 'suspended';
  /** Sends a manual email through the owner's mailbox; undefined while sending is not available. */
  sendEmail?: ((taskId: number) => Promise<string>) | undefined;
  /** The rep's zone, shown with times asked for. */
  zone: string;
  title: string;
  /** Ctrl+C: the app closes like q, and the command exits 130 (cancelled). */
  onInterrupt?: () => void;
}

export function TaskApp(props: TaskAppProps): React.JSX.Element {
  const { session } = props;
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(40, stdout.columns || 100);
  const height = Math.max(10, stdout.rows || 30);
  const start = props.initial ?? INITIAL_STATE;
  const [list, setList] = useState(() => session.list());
  const [view, setView] = useState<AppState['view']>(start.view);
  const [filter, setFilter] = useState(start.filter);
  const [overlay, setOverlayState] = useState<Overlay | undefined>(undefined);
  // Keys can arrive faster than React renders (a quick typist, a paste): the handler reads
  // the overlay from here, so no keystroke lands on a stale one.
  const overlayNow = useRef<Overlay | undefined>(undefined);
  const setOverlay = (next: Overlay | undefined): void => {
    overlayNow.current = next;
    setOverlayState(next);
  };
  const [message, setMessage] = useState<AppState['message']>(start.message);
  const [fullEdit, setFullEdit] = useState(start.fullEdit);
  const [scroll, setScroll] = useState(0);
  // While an email is being sent, keys wait. Kept in a ref, like the overlay: a handler
  // from before the send ended must not take a key for "still sending".
  const busyNow = useRef(false);
  const setBusy = (next: boolean): void => {
    busyNow.current = next;
  };
  // What actions and the detail need loads after the first frame, so the list shows sooner.
  const [ready, setReady] = useState(session.ready);
  useEffect(() => {
    let mounted = true;
    void session.prepare().then(() => mounted && setReady(true));
    return () => {
      mounted = false;
    };
  }, [session]);
  const visible = useMemo(() => list.tasks.filter((task) => matchesFilter(task, filter)), [list, filter]);
  const [cursor, setCursor] = useState(() => Math.max(0, visible.findIndex((task) => task.id === start.cursorTaskId)));
  const index = Math.min(cursor, Math.max(0, visible.length - 1));
  const current = visible[index];
  const detail = useMemo(() => (ready && view === 'detail' && current ? session.detail(current.id) : undefined), [ready, view, current, list, session]);
  const listHeight = height - 5;

  const say = (text: string, kind: 'info' | 'error' = 'info'): void => setMessage({ text, kind });
  const failure = (error: unknown): void => {
    if (!isCadenceError(error)) throw error;
    say(`${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`, 'error');
  };
  /** Runs an action; the list is read again either way (a refused task has changed underneath). */
  const run = (action: () => string): void => {
    try {
      say(action());
      setView('list');
      setScroll(0);
    } catch (error) {
      failure(error);
    }
    setOverlay(undefined);
    reload();
  };
  /**
   * Reads the list again with the cursor on the same task — or, when that one has left the
   * list (done, skipped, changed underneath), on the task that followed it — never on
   * whatever row now has the old number.
   */
  const reload = (): void => {
    const next = session.list();
    const shown = next.tasks.filter((task) => matchesFilter(task, filter));
    const followers = [current, ...visible.slice(index + 1)].filter((task) => task !== undefined);
    const landing = followers.map((task) => shown.findIndex((candidate) => candidate.id === task.id)).find((at) => at >= 0);
    setList(next);
    setCursor(landing ?? Math.min(index, Math.max(0, shown.length - 1)));
  };
  const state = (): AppState => ({ view, cursorTaskId: current?.id, filter, fullEdit, message });

  const onText = (input: string, key: Key, text: string, submit: (text: string) => void, update: (text: string) => void): void => {
    if (key.escape) return setOverlay(undefined);
    if (key.return) return submit(text);
    if (key.backspace || key.delete) return update(text.slice(0, -1));
    if (key.ctrl || key.meta || !input) return;
    // Text and Enter in one burst (pasted, typed over ssh, an input method committing):
    // keep the text, then submit it.
    const end = input.search(/[\r\n]/);
    const typed = (end < 0 ? input : input.slice(0, end)).replace(/[\u0000-\u001f]/g, '');
    if (end >= 0) return submit(text + typed);
    if (typed) update(text + typed);
  };

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      props.onInterrupt?.();
      return exit();
    }
    if (busyNow.current) return;
    const overlay = overlayNow.current;
    if (overlay?.kind === 'help') {
      setOverlay(undefined);
      return;
    }
    if (overlay?.kind === 'filter') {
      return onText(input, key, overlay.text, (text) => {
        setFilter(text.trim());
        setCursor(0);
        setOverlay(undefined);
      }, (text) => setOverlay({ kind: 'filter', text }));
    }
    if (overlay?.kind === 'prompt') {
      const { purpose, taskId } = overlay;
      return onText(input, key, overlay.text, (text) => {
        if (purpose === 'skip') run(() => session.skip(taskId, text));
        else if (purpose === 'meeting') {
          const at = parseLocal(text, props.zone);
          if (!at) return say(`"${text}" is not a date and time: write it like 2026-12-15 14:00`, 'error');
          run(() => session.done(taskId, 'meeting_booked', at));
        } else {
          run(() => session.snooze(taskId, { date: text }));
        }
      }, (text) => setOverlay({ ...overlay, text }));
    }
    if (overlay?.kind === 'outcome') {
      if (key.escape) return setOverlay(undefined);
      const chosen = OUTCOMES.find(([k]) => k === input);
      if (!chosen) return;
      if (chosen[1] === 'meeting_booked') return setOverlay({ kind: 'prompt', purpose: 'meeting', taskId: overlay.taskId, text: '', label: `Meeting date and time (YYYY-MM-DD HH:MM, ${props.zone})` });
      return run(() => session.done(overlay.taskId, chosen[1]));
    }
    if (overlay?.kind === 'snooze') {
      if (key.escape) return setOverlay(undefined);
      if (input === '1') return run(() => session.snooze(overlay.taskId, 'hour'));
      if (input === '2') return run(() => session.snooze(overlay.taskId, 'morning'));
      if (input === '3') return setOverlay({ kind: 'prompt', purpose: 'snooze-date', taskId: overlay.taskId, text: '', label: `Snooze until (YYYY-MM-DD [HH:MM], ${props.zone})` });
      return;
    }
    if (overlay?.kind === 'confirm') {
      const { purpose, taskId } = overlay;
      if (input === 'y') return run(() => (purpose === 'reply' ? session.logReply(taskId) : purpose === 'pause' ? session.pause(taskId) : session.remove(taskId)));
      if (input === 'n' || key.escape) return setOverlay(undefined);
      return;
    }

    // The list and the detail.
    const move = (by: number): void => {
      setCursor((at) => Math.max(0, Math.min(visible.length - 1, Math.min(at, visible.length - 1) + by)));
      setScroll(0);
    };
    if (input === 'q') return exit();
    if (input === '?') return setOverlay({ kind: 'help' });
    if (input === '/') return setOverlay({ kind: 'filter', text: '' });
    if (input === 'u') return run(() => session.undo());
    if (input === 'R') {
      reload();
      return say('reloaded');
    }
    if (key.escape) {
      if (view === 'detail') return setView('list');
      if (filter) {
        setFilter('');
        return say('filter cleared');
      }
      return;
    }
    if (view === 'detail' && (input === 'J' || input === 'K' || key.pageDown || key.pageUp)) {
      const page = Math.max(1, height - 8);
      return setScroll((value) => Math.max(0, value + (input === 'J' ? 1 : input === 'K' ? -1 : key.pageDown ? page : -page)));
    }
    if (key.downArrow || input === 'j') return move(1);
    if (key.upArrow || input === 'k') return move(-1);
    if (key.pageDown) return move(listHeight);
    if (key.pageUp) return move(-listHeight);
    if (key.home) return move(-visible.length);
    if (key.end) return move(visible.length);
    if (key.return && current) {
      setScroll(0);
      return setView('detail');
    }
    if (!current) return;
    const taskId = current.id;
    const isEmail = current.type === 'manual_email';
    if (input === 'd') {
      if (current.type === 'call') return setOverlay({ kind: 'outcome', taskId });
      if (isEmail) return say('a manual email: e edits the draft, S sends it, m marks it sent from elsewhere');
      return run(() => session.done(taskId));
    }
    if (input === 's') return setOverlay({ kind: 'prompt', purpose: 'skip', taskId, text: '', label: 'Skip: why?' });
    if (input === 'z') return setOverlay({ kind: 'snooze', taskId });
    if (input === 'r') return setOverlay({ kind: 'confirm', purpose: 'reply', taskId, question: `Log a reply from ${current.fullName ?? current.email}? Sequences that exit on a reply end. (y/n)` });
    if (input === 'p') return setOverlay({ kind: 'confirm', purpose: 'pause', taskId, question: `Pause ${current.fullName ?? current.email} in ${current.sequence}? (y/n)` });
    if (input === 'x') return setOverlay({ kind: 'confirm', purpose: 'remove', taskId, question: `Remove ${current.fullName ?? current.email} from ${current.sequence}? (y/n)` });
    if (!isEmail && 'eFSm'.includes(input)) return say(`${input}: only for manual emails`, 'error');
    if (input === 'F') {
      setFullEdit(!fullEdit);
      return say(fullEdit ? 'full edit off: only the marked regions may change' : 'full edit on: the next edit may change the whole text');
    }
    if (input === 'e') {
      try {
        const check = props.editDraft(taskId, fullEdit, { ...state(), view: 'detail' });
        if (check === 'suspended') return;
        setMessage(draftMessage(check));
        setView('detail');
        reload();
      } catch (error) {
        failure(error);
      }
      return;
    }
    if (input === 'm') return run(() => session.markSent(taskId));
    if (input === 'S') {
      if (!props.sendEmail) return say("sending from the task list is not available yet: send it from your mail program, then press m to mark it sent", 'error');
      setBusy(true);
      say('sending…');
      // Busy ends in the same update that shows the outcome: a key pressed as soon as the
      // rep sees it is never dropped as "still sending".
      props.sendEmail(taskId).then(
        (text) => {
          setBusy(false);
          say(text);
          setView('list');
          reload();
        },
        (error: unknown) => {
          setBusy(false);
          failure(error);
          reload();
        },
      );
    }
  });

  if (overlay?.kind === 'help') return <HelpView width={width} />;
  const header = `${props.title} · ${list.tasks.length} open${list.counts.length ? ` (${list.counts.map(([type, n]) => `${n} ${type}`).join(', ')})` : ''} · ${list.overdue} overdue${filter ? ` · filter "${filter}": ${visible.length}` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">{header}</Text>
      {view === 'detail' && !ready ? (
        <Text>loading…</Text>
      ) : view === 'detail' && detail ? (
        <TaskDetailView lines={detailLines(detail, session.readDraft(detail.task.id), fullEdit)} width={width} height={height - 4} scroll={scroll} />
      ) : (
        <TaskListView tasks={visible} cursor={index} width={width} height={listHeight} zone={list.zone} />
      )}
      <Footer overlay={overlay} message={message} view={view} email={current?.type === 'manual_email'} />
    </Box>
  );
}

/** What the rep is told after an edit: saved, or refused with the place named. */
export function draftMessage(check: DraftCheck): NonNullable<AppState['message']> {
  return check.ok
    ? { kind: 'info', text: `draft saved: "${check.subject}" (S to send, m to mark sent from elsewhere)` }
    : { kind: 'error', text: `${check.code}: ${check.message}; the draft was not accepted (e to fix it, F for full edit)` };
}

function Footer({ overlay, message, view, email }: { overlay: Overlay | undefined; message: AppState['message']; view: AppState['view']; email: boolean }): React.JSX.Element {
  if (overlay?.kind === 'filter') return <Text>/{overlay.text}█</Text>;
  if (overlay?.kind === 'prompt') return <Text>{overlay.label}: {overlay.text}█</Text>;
  if (overlay?.kind === 'outcome') return <Text>Outcome: {OUTCOMES.map(([key, , label]) => `${key} ${label}`).join('  ')}  (Esc cancels)</Text>;
  if (overlay?.kind === 'snooze') return <Text>Snooze: 1 one hour  2 tomorrow morning  3 until a date  (Esc cancels)</Text>;
  if (overlay?.kind === 'confirm') return <Text>{overlay.question}</Text>;
  return (
    <Box flexDirection="column">
      {message ? <Text color={message.kind === 'error' ? 'red' : 'green'} wrap="wrap">{message.text}</Text> : null}
      <Text dimColor wrap="truncate-end">{view === 'detail' ? `Esc back · d done · s skip · z snooze${email ? ' · e edit · S send · m mark sent' : ''} · r reply · p pause · x remove · u undo · ? help` : '↑↓/jk move · Enter open · d done · s skip · z snooze · / filter · u undo · ? help · q quit'}</Text>
    </Box>
  );
}

/** A date and time the rep typed, read in their zone; undefined when it is not one. */
function parseLocal(text: string, zone: string): Date | undefined {
  const parsed = DateTime.fromFormat(text.trim().replace('T', ' '), 'yyyy-MM-dd H:mm', { zone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
