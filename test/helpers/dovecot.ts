import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOVECOT = '/usr/sbin/dovecot';
/** The unprivileged user that owns the mail folders (Debian's `mail`, uid 8). */
const MAIL_UID = 8;
const MAIL_GID = 8;

export interface Dovecot {
  host: string;
  port: number;
  /** Adds a login (plain password) whose mail lives in this server's temporary folder. */
  addUser: (user: string, password: string) => void;
  stop: () => Promise<void>;
}

/**
 * Starts a private dovecot IMAP server on 127.0.0.1 (a free port, passwd-file logins,
 * maildirs in a temporary folder) and waits for its greeting. Installs nothing: without
 * dovecot it fails with what to install. Stop it with `stop()` (bounded wait, then SIGKILL).
 */
export async function startDovecot(): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) {
    throw new Error('dovecot is not installed: run `apt-get install -y dovecot-imapd` (the tests start their own server on 127.0.0.1; .ci/run installs it)');
  }
  if (process.getuid?.() !== 0) {
    throw new Error('the dovecot test server runs as root (it hands the mail folders to the user mail): run the tests as root, as .ci/run does');
  }
  const dir = mkdtempSync(join(tmpdir(), 'cadence-dovecot-'));
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  mkdirSync(home);
  chownSync(home, MAIL_UID, MAIL_GID);
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  let lastError: unknown;
  // The free port is found before dovecot binds it: another process may take it in between, so try again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    writeFileSync(join(dir, 'dovecot.conf'), config(dir, port));
    const child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForGreeting(port, child, () => stderr, dir);
      return {
        host: '127.0.0.1',
        port,
        addUser: (user, password) => writeFileSync(passwd, `${readFileSync(passwd, 'utf8')}${user}:{PLAIN}${password}::::::\n`),
        stop: async () => {
          await stopProcess(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      await stopProcess(child);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

function config(dir: string, port: number): string {
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = ${MAIL_UID}
last_valid_uid = ${MAIL_UID}
first_valid_gid = ${MAIL_GID}
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_GID} home=${dir}/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits (at most 10 s) until the server greets with `* OK`; fails early if dovecot exits. */
async function waitForGreeting(port: number, child: ChildProcess, stderr: () => string, dir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await greets(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
  throw new Error(`dovecot did not start on 127.0.0.1:${port}: ${stderr()}${log}`.trim());
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('* OK')));
  });
}

/** SIGTERM, up to 5 s for a clean stop, then SIGKILL. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
