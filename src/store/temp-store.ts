import type { Database } from 'better-sqlite3';

/**
 * Runs `work` with the connection's temporary storage in memory, then puts it back. A
 * tick's savepoints (one per step) copy the pages they change into a statement journal,
 * a temporary file by default: in memory, a 10,000-step tick took ~0.2 s less.
 *
 * Changing `temp_store` drops the connection's TEMP tables and triggers (the task list's
 * undo journal keeps some), so a connection that has any is left as it is.
 */
export async function withTempStoreInMemory<T>(db: Database, work: () => Promise<T>): Promise<T> {
  const previous = db.pragma('temp_store', { simple: true }) as number;
  const switched = previous !== MEMORY && !hasTempObjects(db);
  if (switched) db.pragma(`temp_store = ${MEMORY}`);
  try {
    return await work();
  } finally {
    if (switched && !hasTempObjects(db)) db.pragma(`temp_store = ${previous}`);
  }
}

const MEMORY = 2;

function hasTempObjects(db: Database): boolean {
  return db.prepare('SELECT 1 FROM temp.sqlite_master LIMIT 1').get() !== undefined;
}
