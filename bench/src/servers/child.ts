import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { processTimes, type ProcessTimes } from '../proc';

/** Open files the benchmark's processes ask for: thousands of sockets each. */
export const FILE_LIMIT = 65_536;

export interface ChildOptions {
  /** Node arguments before the script (e.g. `--expose-gc`, `--require probe.js`). */
  nodeArgs?: string[];
  script: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Shown in errors and in the log excerpt. */
  name: string;
}

/**
 * A Node process the runner started, with an IPC channel for requests that carry an `id` and are
 * answered with the same `id`. Its file limit is raised where the system allows.
 */
export class Child {
  readonly process: ChildProcess;
  readonly name: string;
  private readonly log: string[] = [];
  /** Lines of output so far, including those no longer kept. */
  private lines = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: unknown) => void>();
  private readonly listeners = new Set<(message: unknown) => void>();
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exitWaiters = new Set<() => void>();

  constructor(options: ChildOptions) {
    this.name = options.name;
    const command = [
      process.execPath,
      ...(options.nodeArgs ?? []),
      options.script,
      ...(options.args ?? []),
    ];
    // Through sh to raise the file limit (ulimit is not reachable from Node); exec keeps the pid.
    this.process = spawn(
      '/bin/sh',
      [
        '-c',
        `ulimit -n ${FILE_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -H -n)" 2>/dev/null; exec "$@"`,
        'sh',
        ...command,
      ],
      { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: options.env ?? process.env },
    );
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        this.log.push(line);
        this.lines++;
        if (this.log.length > 200) this.log.shift();
      }
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.process.on('message', (message: unknown) => {
      const id = (message as { id?: unknown }).id;
      const resolve = typeof id === 'number' ? this.waiting.get(id) : undefined;
      if (resolve && typeof id === 'number') {
        this.waiting.delete(id);
        resolve(message);
        return;
      }
      for (const listener of this.listeners) listener(message);
    });
    this.process.on('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const waiter of this.exitWaiters) waiter();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** The process's last lines of output, for error messages. */
  output(lines = 30): string {
    return this.log.slice(-lines).join('\n');
  }

  /** A position in the output, for `linesSince`. */
  mark(): number {
    return this.lines;
  }

  /** Output lines written after `mark` (as many as are still kept). */
  linesSince(mark: number): string[] {
    const n = Math.min(this.lines - mark, this.log.length);
    return n > 0 ? this.log.slice(-n) : [];
  }

  /** Sends `message` with a fresh `id` and resolves with the reply carrying that id. */
  request<Reply>(message: object, timeoutMs: number): Promise<Reply> {
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      if (this.exited) {
        reject(new Error(`${this.name} has exited\n${this.output()}`));
        return;
      }
      const onExit = () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(new Error(`${this.name} exited while answering\n${this.output()}`));
      };
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.exitWaiters.delete(onExit);
        reject(new Error(`${this.name} did not answer within ${timeoutMs} ms\n${this.output()}`));
      }, timeoutMs);
      this.exitWaiters.add(onExit);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.exitWaiters.delete(onExit);
        resolve(reply as Reply);
      });
      this.process.send({ ...message, id });
    });
  }

  /** Messages the child sends on its own (not replies). */
  onMessage(listener: (message: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first output line matching `pattern` (rejects on exit or timeout). */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (const line of this.log) {
          const match = pattern.exec(line);
          if (match) {
            cleanup();
            resolve(match);
            return true;
          }
        }
        return false;
      };
      const onData = () => {
        check();
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`${this.name} exited before it was ready\n${this.output()}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} was not ready within ${timeoutMs} ms\n${this.output()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.process.stdout?.off('data', onData);
        this.exitWaiters.delete(onExit);
      };
      if (check()) return;
      this.process.stdout?.on('data', onData);
      this.exitWaiters.add(onExit);
      if (this.exited) onExit();
    });
  }

  /** CPU seconds (user + system, all threads) the process has used so far, from /proc. */
  cpuSeconds(): number {
    return processTimes(this.pid).cpu;
  }

  /** Its CPU so far, and how long its main thread waited for a core. */
  times(): ProcessTimes {
    return processTimes(this.pid);
  }

  /** Asks the process to stop (SIGTERM), then kills it after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.exitWaiters.add(resolve));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(timer);
  }
}

let openFileLimit: number | null = null;

/** The open files a process started here may have (the hard limit, which `ulimit` cannot pass). */
export function fileLimit(): number {
  if (openFileLimit === null) {
    try {
      const out = execFileSync(
        '/bin/sh',
        [
          '-c',
          `ulimit -n ${FILE_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -H -n)" 2>/dev/null; ulimit -n`,
        ],
        {
          encoding: 'utf8',
        },
      ).trim();
      openFileLimit = out === 'unlimited' ? FILE_LIMIT : Number(out) || 1024;
    } catch {
      openFileLimit = 1024;
    }
  }
  return openFileLimit;
}
