/**
 * A private Redis server for the queue tests: Debian's `redis-server` on 127.0.0.1 and a free
 * port, its data in a temporary folder, with the append-only file fsynced on every write, so a
 * restart keeps the queue (README, "More than one machine"). Nothing else is contacted.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Path of redis-server, or null when this machine has none. */
export function findRedisServer(): string | null {
  for (const p of ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** True when the bullmq package is installed (`npm install` after pulling the change that added it). */
export function haveBullmq(): boolean {
  try {
    createRequire(import.meta.url).resolve('bullmq');
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Answer to PING within `ms`, or false. */
function ping(port: number, ms = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { c.destroy(); resolve(ok); };
    c.setTimeout(ms, () => done(false));
    c.once('error', () => done(false));
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export class TestRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'widelimit-redis-'));
  private child: ChildProcess | null = null;
  constructor(readonly bin: string, readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Start (or start again, on the same data folder) and wait until it answers. */
  async start(): Promise<void> {
    this.child = spawn(this.bin, [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--logfile', join(this.dir, 'redis.log'),
    ], { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not answer (log in ${this.dir}/redis.log)`);
  }

  /** Stop (SIGTERM: Redis flushes its append-only file) and wait for the exit. */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await exited;
  }
}

/** Start a private server (call stop() in afterAll). */
export async function startTestRedis(bin: string): Promise<TestRedis> {
  const r = new TestRedis(bin, await freePort());
  await r.start();
  return r;
}
