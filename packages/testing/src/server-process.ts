import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { countProcessGroup } from './processes.js';
import { waitFor } from './wait-for.js';

/** How a process ended: an exit code, or the signal that killed it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** An MCP server running in its own process group, reachable over HTTP on 127.0.0.1. */
export interface RunningServer {
  /** Where to connect, always on 127.0.0.1 (`…/mcp` for streamable HTTP, `…/sse` for SSE). */
  readonly url: string;
  /** The server's pid, which is also its process group id. */
  readonly pid: number;
  /** Settles when the server process exits (for example after `crashAfter`). */
  readonly exited: Promise<ProcessExit>;
  /** The last 200 lines the server wrote to stderr. */
  stderr(): string;
  /** SIGKILLs the whole process group and waits until nothing of it is left. Idempotent. */
  close(): Promise<void>;
}

const STDERR_LINES_KEPT = 200;
const DRAIN_AFTER_EXIT_MS = 500;

type Child = ChildProcessByStdio<null, Readable, Readable>;

/**
 * A child spawned as the leader of a new process group, with stdout and stderr always drained (a
 * chatty child must never block on a full pipe) and the tail of stderr kept for error messages.
 */
export class ServerProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  private readonly child: Child;
  private readonly stderrLines: string[] = [];
  private readonly stdoutListeners = new Set<(line: string) => void>();
  private closing: Promise<void> | undefined;

  private constructor(child: Child, pid: number) {
    this.child = child;
    this.pid = pid;
    const stdout = createInterface({ input: child.stdout }).on('line', (line) => {
      for (const listener of this.stdoutListeners) listener(line);
    });
    const stderr = createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.shift();
    });
    // Read what it wrote before calling it exited, unless something it started holds the pipes.
    const drained = Promise.race([
      Promise.all([once(stdout, 'close'), once(stderr, 'close')]),
      sleep(DRAIN_AFTER_EXIT_MS),
    ]);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        void drained.then(() => {
          resolve({ code, signal });
        });
      });
    });
  }

  static spawn(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ServerProcess {
    const child = spawn(command, args, {
      detached: true, // its own process group, so close() can kill helpers it started too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: env ?? process.env,
    });
    if (child.pid === undefined) {
      // The spawn failure also arrives as an 'error' event; the thrown error reports it.
      child.once('error', () => undefined);
      child.stdout.destroy();
      child.stderr.destroy();
      throw new Error(`could not spawn ${command}`);
    }
    return new ServerProcess(child, child.pid);
  }

  stderr(): string {
    return this.stderrLines.join('\n');
  }

  /** The public face of this process once it serves `url`. */
  asRunningServer(url: string): RunningServer {
    return {
      url,
      pid: this.pid,
      exited: this.exited,
      stderr: () => this.stderr(),
      close: () => this.close(),
    };
  }

  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  async waitForStdoutLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    let listener: ((line: string) => void) | undefined;
    const matched = new Promise<RegExpMatchArray>((resolve) => {
      listener = (line) => {
        const match = pattern.exec(line);
        if (match) resolve(match);
      };
      this.stdoutListeners.add(listener);
    });
    try {
      return await this.raceExitAndTimeout(matched, timeoutMs, `a stdout line matching ${pattern}`);
    } finally {
      if (listener) this.stdoutListeners.delete(listener);
    }
  }

  /** Polls `ready` until it holds; rejects if the process exits first. */
  async waitUntil(ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    let stop = false;
    const polled = waitFor(async () => stop || (await ready()), {
      timeoutMs,
      intervalMs: 50,
      description: what,
    });
    try {
      await this.raceExitAndTimeout(polled, timeoutMs + 1_000, what);
    } finally {
      stop = true;
      await polled.catch(() => undefined);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.killGroup();
    return this.closing;
  }

  private async killGroup(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already empty
    }
    await this.exited;
    await waitFor(async () => (await countProcessGroup(this.pid)) === 0, {
      timeoutMs: 10_000,
      intervalMs: 20,
      description: `process group ${this.pid} to be gone`,
    });
    this.child.stdout.destroy();
    this.child.stderr.destroy();
  }

  private async raceExitAndTimeout<T>(
    work: Promise<T>,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}${this.stderrTail()}`),
        );
      }, timeoutMs);
      void this.exited.then((exit) => {
        const how = exit.signal ?? `code ${String(exit.code)}`;
        reject(new Error(`server exited (${how}) before ${what}${this.stderrTail()}`));
      });
    });
    try {
      return await Promise.race([work, failure]);
    } finally {
      clearTimeout(timer);
    }
  }

  private stderrTail(): string {
    const tail = this.stderrLines.slice(-20).join('\n');
    return tail ? `; its stderr ends with:\n${tail}` : '';
  }
}
