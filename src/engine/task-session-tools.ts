/**
 * What a task-list session needs to act and to show a task's detail: loaded after the
 * first frame (`TaskSession.prepare`), since Liquid, the action runner and the field
 * converters would otherwise delay the list the rep is waiting for.
 */
export { setLeadFields } from '../leads/set.js';
export { logEngagement } from './engagement.js';
export { changeEnrollment } from './enrollment-control.js';
export { completeManualStep } from './task-done.js';
export { checkDraft, createMarkingLiquid, draftFileText, unmarked } from './task-email-draft.js';
export { taskDetail } from './task-detail.js';
export { skipTask } from './task-skip.js';
export { snoozeTask, snoozeUntil } from './task-snooze.js';
export { workspaceCalendar } from './calendar.js';
export { journaled, undoAction } from './task-undo.js';
export { newUnsubscribeToken } from './sender.js';
