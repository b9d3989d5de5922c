/**
 * A private, throw-away PostgreSQL server for tests and benchmarks: its own data folder in a temp
 * directory, its own port on 127.0.0.1, trust auth, stopped and deleted afterwards. The machine's
 * own clusters are never touched. PostgreSQL refuses to run as root, so as root the server runs
 * as the `postgres` user (created by the Debian package).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest installed PostgreSQL's bin folder, or undefined. */
export const findPostgresBin = (): string | undefined => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    return undefined;
  }
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

export interface TestPostgres {
  url: string;
  stop(): void;
}

/** `durable` keeps fsync on (benchmarks); tests turn it off for speed. */
export const startTestPostgres = async ({ durable = false }: { durable?: boolean } = {}): Promise<TestPostgres> => {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error('PostgreSQL is not installed (apt package postgresql); npm test installs it when it can.');
  }
  const base = mkdtempSync(join(tmpdir(), 'akson-pg-'));
  const data = join(base, 'data');
  const run = (file: string, args: string[]): void => {
    const [command, commandArgs] = isRoot()
      ? ['runuser', ['-u', 'postgres', '--', join(bin, file), ...args]]
      : [join(bin, file), args];
    const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${file} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
  };
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(base, uid, gid);
  }
  run('initdb', ['-D', data, '-U', 'akson', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${base}`,
    '-c max_connections=100',
    ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-o', settings, '-l', join(base, 'server.log'), '-w', '-t', '30', 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'akson', 'akson']);
  let stopped = false;
  return {
    url: `postgres://akson@127.0.0.1:${port}/akson`,
    stop: () => {
      if (stopped) {
        return;
      }
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
};
