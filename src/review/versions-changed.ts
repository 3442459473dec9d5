import type { Database } from 'better-sqlite3';
import { sequenceHash } from '../store/enrollments.js';
import { hasEnrollmentsOffVersion } from '../store/versions.js';
import type { SequenceDefinition } from '../workspace/types.js';

/**
 * Whether a tick has live enrollments to move onto a changed sequence, even with nothing
 * due: the sequences' hashes against the versions the live enrollments are on (indexed).
 */
export function sequencesChanged(db: Database, sequences: ReadonlyMap<string, SequenceDefinition>): boolean {
  return hasEnrollmentsOffVersion(db, new Map([...sequences].map(([id, sequence]) => [id, sequenceHash(sequence)])));
}
