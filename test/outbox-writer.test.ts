import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../src/channels/compose.js';
import type { Transport } from '../src/channels/transport.js';
import { repoRoot, tempDir } from './helpers/cli.js';

// The built transport: its writing thread runs only from JavaScript (dist/), as the CLI does.
const { outboxTransport } = (await import(pathToFileURL(join(repoRoot, 'dist', 'channels', 'transport.js')).href)) as { outboxTransport: (dir: string) => Transport };

const message = (i: number): OutgoingMessage => ({
  messageId: `<m${i}.test@example.com>`,
  from: { name: 'Aya Sato', address: 'aya@example.com' },
  to: `lead${i}@example.org`,
  subject: `Hello ${i}`,
  text: `Hi Lead${i},\n\nA line of the body.\n`,
  date: new Date('2026-12-01T15:00:00Z'),
  unsubscribeMailto: `mailto:unsubscribe+t${i}@example.com`,
});

describe('the outbox transport, built', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const open = (dir: string): Transport => {
    const transport = outboxTransport(dir);
    cleanups.push(() => transport.close());
    return transport;
  };

  it('writes a batch of many on its writing thread, and once it runs a batch of a few too: whole files, in order, nothing left in .tmp', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const transport = open(dir);
    const many = Array.from({ length: 120 }, (_, i) => message(i));
    const outcomes = [...(await transport.composeAndDeliver!(many)!), ...(await transport.composeAndDeliver!([message(500), message(501)])!)];
    expect(outcomes).toHaveLength(122);
    for (const [index, outcome] of outcomes.entries()) {
      const i = index < 120 ? index : 500 + index - 120;
      expect(outcome).toEqual({ kind: 'delivered', path: join(dir, `m${i}.test@example.com.eml`) });
      const text = readFileSync((outcome as { path: string }).path, 'utf8');
      expect(text).toContain(`Message-ID: <m${i}.test@example.com>`);
      expect(text).toContain(`To: lead${i}@example.org`);
      expect(text).toMatch(/--\r\n$/);
    }
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
  });

  it('answers every message of a batch it cannot write with the error (deferred, to be tried again), on either thread', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    // The outbox "folder" is a file: nothing can be written under it.
    const blocked = join(dir, 'outbox');
    writeFileSync(blocked, 'not a folder');
    const transport = open(blocked);
    for (const size of [80, 3]) {
      const outcomes = await transport.composeAndDeliver!(Array.from({ length: size }, (_, i) => message(i)))!;
      expect(outcomes).toHaveLength(size);
      for (const outcome of outcomes) {
        expect(outcome.kind).toBe('deferred');
        expect((outcome as { reason: string }).reason).toMatch(/ENOTDIR|EEXIST/);
      }
    }
  });

  it('answers the batch a closed (or dead) writing thread leaves instead of waiting for ever: delivered where the file is there, deferred where not; a new thread takes the next', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    mkdirSync(dir, { recursive: true });
    const transport = open(dir);
    const pending = transport.composeAndDeliver!(Array.from({ length: 2000 }, (_, i) => message(i)))!;
    await transport.close();
    const outcomes = await pending;
    expect(outcomes).toHaveLength(2000);
    // Never an answer missing, and never "not written" for a file that is there (it would go twice).
    for (const [i, outcome] of outcomes.entries()) {
      const path = join(dir, `m${i}.test@example.com.eml`);
      if (existsSync(path)) expect(outcome).toEqual({ kind: 'delivered', path });
      else expect(outcome).toMatchObject({ kind: 'deferred', reason: expect.stringMatching(/writing thread stopped/) });
    }
    expect(outcomes.some((outcome) => outcome.kind === 'deferred')).toBe(true);
    const again = await transport.composeAndDeliver!(Array.from({ length: 60 }, (_, i) => message(3000 + i)))!;
    expect(again.every((outcome) => outcome.kind === 'delivered')).toBe(true);
  });
});
