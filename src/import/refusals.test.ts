import { describe, expect, it } from 'vitest';
import { RefusalLog } from './refusals.js';

const problem = (line: number) => ({ line, column: 'email', value: `u${line}@example.com`, code: 'IMPORT_DUPLICATE_IN_FILE', message: 'is already on an earlier line' });

describe('RefusalLog', () => {
  it('keeps the 10,000 lowest lines for the report, whatever order they came in', () => {
    const log = new RefusalLog(undefined);
    // The reader's refusals of later lines first; the store's of earlier lines a window later.
    for (let line = 30_001; line <= 45_000; line++) log.add([problem(line)], undefined);
    for (let line = 20_000; line > 5_000; line--) log.add([problem(line)], undefined);
    const { errors, errorsTruncated } = log.report();
    expect(errorsTruncated).toBe(true);
    expect(errors).toHaveLength(10_000);
    expect(errors[0]!.line).toBe(5_001);
    expect(errors.at(-1)!.line).toBe(15_000);
    expect(errors.every((error, index) => index === 0 || error.line > errors[index - 1]!.line)).toBe(true);
  });

  it('says nothing was left out when nothing was', () => {
    const log = new RefusalLog(undefined);
    for (const line of [9, 3, 7]) log.add([problem(line)], undefined);
    expect(log.report()).toEqual({ errors: [problem(3), problem(7), problem(9)], errorsTruncated: false });
  });
});
