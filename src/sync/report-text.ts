import type { SyncReport } from './run-sync.js';

const LABEL = { reply: 'reply', ooo: 'out of office', bounce: 'bounce', unsubscribe: 'unsubscribe', meeting: 'meeting', ignored: 'ignored' } as const;

/** The sync report as lines for a person: per folder, then each message that did something. */
export function syncReportText(report: SyncReport): string {
  const lines: string[] = [];
  for (const folder of report.folders) {
    lines.push(`${folder.mailbox} ${folder.folder}: ${folder.read} new ${folder.read === 1 ? 'message' : 'messages'}${folder.reset ? ' (the folder was renumbered: reading from its end)' : ''}`);
    for (const outcome of folder.outcomes) {
      const effects = [...(outcome.exited?.length ? [`exited ${outcome.exited.join(', ')}`] : []), ...(outcome.paused?.length ? [`paused ${outcome.paused.join(', ')}${outcome.until ? ` until ${outcome.until}` : ''}`] : [])];
      lines.push(`  uid ${outcome.uid}  ${LABEL[outcome.kind]}${outcome.lead ? `  ${outcome.lead}` : ''}${outcome.colleague ? ` (from colleague ${outcome.colleague})` : ''}${outcome.why ? `  (${outcome.why})` : ''}${effects.length ? `  ${effects.join('; ')}` : ''}`);
    }
  }
  const counts = Object.entries(report.counts).filter(([, count]) => count > 0).map(([kind, count]) => `${count} ${LABEL[kind as keyof typeof LABEL]}`);
  lines.push(counts.length ? `handled: ${counts.join(', ')}` : 'nothing new');
  for (const error of report.errors) lines.push(`error: ${error.message}`);
  return `${lines.join('\n')}\n`;
}
