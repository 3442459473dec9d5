// A scripted $EDITOR for tests: replaces EDIT_FROM with EDIT_TO in the file it is given
// (or appends EDIT_APPEND), as a rep would in a real editor, then exits like one;
// exits 3 when neither text is there, so a test that edits the wrong thing fails.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let text = readFileSync(file, 'utf8');
if (process.env.EDIT_FROM !== undefined) {
  // Already rewritten (an earlier edit kept in the draft): saved again unchanged.
  const done = process.env.EDIT_TO && text.includes(process.env.EDIT_TO);
  if (!text.includes(process.env.EDIT_FROM) && !done) {
    process.stderr.write(`scripted editor: "${process.env.EDIT_FROM}" is not in the draft\n`);
    process.exit(3);
  }
  text = text.replace(process.env.EDIT_FROM, process.env.EDIT_TO ?? '');
}
if (process.env.EDIT_APPEND) text += process.env.EDIT_APPEND;
writeFileSync(file, text);
