import { type ChildProcess, spawn } from 'node:child_process';
import {
  BaseService,
  describeError,
  type HealthChecker,
  type HealthCheckResult,
  type JsonObject,
  type Logger,
  type ServiceDataProvider,
  type ServiceOptions,
  silentLogger,
} from '@corral/core';
import { processConfigDefaults, type ProcessServiceConfig, type ReadyProbe } from './config.js';
import {
  describeExit,
  type ProcessExit,
  ProcessExitedError,
  ProcessReadyTimeoutError,
  ProcessSpawnError,
} from './errors.js';
import { LineRing } from './line-ring.js';
import { splitLines } from './line-splitter.js';
import { groupHasLiveMembers, signalGroup, waitForGroupExit } from './process-group.js';
import { tcpConnect, waitForTcp } from './tcp-probe.js';

export interface ProcessServiceOptions extends Omit<ServiceOptions, 'type'> {
  readonly config: ProcessServiceConfig;
  readonly logger?: Logger;
}

/** stderr lines kept for status and errors (DESIGN §6: a bounded ring of the last 200). */
const STDERR_RING = 200;
/** Of those, how many an error message quotes and status shows. */
const STDERR_IN_ERRORS = 10;
const STDERR_IN_STATUS = 20;
/** stdout lines kept to explain a stdout probe that never matched. */
const STDOUT_RING = 10;
/** After the leader exits, how long to let its last output drain before describing the exit. */
const OUTPUT_DRAIN_MS = 200;
/** After SIGKILL, how long to wait for the rest of the group to vanish. */
const KILL_WAIT_MS = 2_000;
/** How long one health-check connect may take. */
const HEALTH_CONNECT_TIMEOUT_MS = 2_000;

/** One spawned command and what is known of its life. */
interface Run {
  readonly child: ChildProcess;
  /** Also the process group id: the command leads its own group. Undefined if spawn failed. */
  readonly pid: number | undefined;
  /** Settles once the leader has exited and been reaped, or failed to spawn. */
  readonly exited: Promise<ProcessExit>;
  /** Settles when stdout and stderr have closed. */
  readonly outputClosed: Promise<void>;
  exit: ProcessExit | undefined;
  spawnError: Error | undefined;
  /** Set once the probe passed: from then on an exit is a failure to report. */
  ready: boolean;
  /** Set once doStop took over: the exit is expected. */
  stopping: boolean;
  /** The rings' marks when this run began: its own lines are those after them. */
  readonly stderrMark: number;
  readonly stdoutMark: number;
  onStdoutLine: ((line: string) => void) | undefined;
}

/**
 * A supervised long-running command (a tunnel, a port-forward, a local database) with a
 * readiness probe. It runs in its own process group; stopping it signals the whole group
 * (SIGTERM, then SIGKILL after `stopGraceMs`) so no grandchild outlives it. An exit while running
 * is reported as a failure, and core's retry path brings it back.
 */
export class ProcessService extends BaseService implements ServiceDataProvider, HealthChecker {
  readonly config: ProcessServiceConfig;
  readonly healthCheckIntervalMs: number;
  private readonly logger: Logger;
  private readonly stderr = new LineRing(STDERR_RING);
  private readonly stdout = new LineRing(STDOUT_RING);
  private current: Run | undefined;

  constructor(options: ProcessServiceOptions) {
    super({ ...options, type: 'process' });
    this.config = options.config;
    this.logger = options.logger ?? silentLogger;
    this.healthCheckIntervalMs =
      options.config.healthIntervalMs ?? processConfigDefaults.healthIntervalMs;
  }

  /** The running command's pid (and process group id), if one is running. */
  get pid(): number | undefined {
    return this.current?.exit === undefined ? this.current?.pid : undefined;
  }

  /** The last stderr lines (up to 200), across restarts, oldest first. */
  stderrLines(count?: number): string[] {
    return this.stderr.last(count);
  }

  private get readyTimeoutMs(): number {
    return this.config.readyTimeoutMs ?? processConfigDefaults.readyTimeoutMs;
  }

  private get stopGraceMs(): number {
    return this.config.stopGraceMs ?? processConfigDefaults.stopGraceMs;
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  protected async doStart(signal: AbortSignal): Promise<void> {
    const run = this.spawnRun();
    this.current = run;
    await this.untilReady(run, signal);
    run.ready = true;
    this.logger.debug(`process '${this.name}' is ready`, { service: this.name, pid: run.pid });
  }

  protected async doStop(signal: AbortSignal): Promise<void> {
    const run = this.current;
    if (!run) return;
    run.stopping = true;
    try {
      if (run.pid !== undefined) await this.terminateGroup(run, run.pid, signal);
    } finally {
      // A process that left our group could still hold the pipes open: let go of them.
      run.child.stdout?.destroy();
      run.child.stderr?.destroy();
      if (this.current === run) this.current = undefined;
    }
  }

  /**
   * SIGTERM to the group, up to `stopGraceMs` for all of it to exit, then SIGKILL to whatever
   * is left (at once if `signal` aborted). Resolves once the leader has exited and no live
   * process remains in the group.
   */
  private async terminateGroup(run: Run, pgid: number, signal: AbortSignal): Promise<void> {
    if (!signal.aborted && (await groupHasLiveMembers(pgid))) {
      signalGroup(pgid, 'SIGTERM');
      await waitForGroupExit(pgid, this.stopGraceMs, { signal, wake: run.exited });
    }
    if (await groupHasLiveMembers(pgid)) signalGroup(pgid, 'SIGKILL');
    await run.exited;
    if (!(await waitForGroupExit(pgid, KILL_WAIT_MS, { wake: run.exited }))) {
      this.logger.error(
        `process group ${pgid} of service '${this.name}' still has live members after SIGKILL`,
        { service: this.name },
      );
    }
  }

  private spawnRun(): Run {
    const { command, args = [], env, cwd } = this.config;
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd,
        env: env === undefined ? process.env : { ...process.env, ...env },
        detached: true, // its own process group, so one signal reaches every descendant
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new ProcessSpawnError(this.name, command, cwd, error);
    }
    let resolveExit: (exit: ProcessExit) => void = () => undefined;
    const exited = new Promise<ProcessExit>((resolve) => {
      resolveExit = resolve;
    });
    const run: Run = {
      child,
      pid: child.pid,
      exited,
      outputClosed: new Promise((resolve) => {
        child.once('close', () => {
          resolve();
        });
      }),
      exit: undefined,
      spawnError: undefined,
      ready: false,
      stopping: false,
      stderrMark: this.stderr.mark,
      stdoutMark: this.stdout.mark,
      onStdoutLine: undefined,
    };
    child.once('exit', (code, exitSignal) => {
      run.exit = { code, signal: exitSignal };
      resolveExit(run.exit);
    });
    // Without a pid the spawn failed (ENOENT, EACCES) and no 'exit' follows. Other 'error's
    // concern kill() or IPC, which we do not use.
    child.on('error', (error) => {
      if (run.pid !== undefined || run.exit !== undefined) return;
      run.spawnError = error;
      run.exit = { code: null, signal: null };
      resolveExit(run.exit);
    });
    if (child.stdout) {
      splitLines(child.stdout, (line) => {
        this.stdout.push(line);
        run.onStdoutLine?.(line);
      });
    }
    if (child.stderr) {
      splitLines(child.stderr, (line) => {
        this.stderr.push(line);
      });
    }
    void exited.then((exit) => this.onExit(run, exit));
    this.logger.debug(`process '${this.name}' spawned`, { service: this.name, pid: child.pid });
    return run;
  }

  /** An exit after the probe passed, not asked for by doStop: a failure for core to retry. */
  private async onExit(run: Run, exit: ProcessExit): Promise<void> {
    this.logger.debug(`process '${this.name}' exited (${describeExit(exit)})`, {
      service: this.name,
      pid: run.pid,
    });
    if (!this.exitIsFailure(run)) return;
    await this.drainOutput(run);
    if (!this.exitIsFailure(run)) return; // a stop came first and owns it
    this.reportFailure(new ProcessExitedError(this.name, exit, this.stderrOf(run), 'running'));
  }

  /** Read afresh each time: TypeScript would narrow the flags across an await. */
  private exitIsFailure(run: Run): boolean {
    return run.ready && !run.stopping && this.current === run;
  }

  // ------------------------------------------------------------------------------------------
  // Readiness

  /**
   * Resolves when the probe passes. Rejects when the process exits first (with its exit code
   * and last stderr lines), when `readyTimeoutMs` passes, or at once when `signal` aborts.
   */
  private untilReady(run: Run, signal: AbortSignal): Promise<void> {
    const probe = this.config.ready;
    return new Promise<void>((resolve, reject) => {
      const probeControl = new AbortController();
      let settled = false;
      const settle = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        probeControl.abort();
        run.onStdoutLine = undefined;
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(describeError(error)));
      };
      const onAbort = (): void => {
        settle(signal.reason ?? new Error('start aborted'));
      };
      const timer = setTimeout(() => {
        settle(
          probe === undefined
            ? new Error(`service '${this.name}': the process did not spawn in time`)
            : new ProcessReadyTimeoutError(
                this.name,
                probe,
                this.readyTimeoutMs,
                this.stderrOf(run),
                'stdout' in probe ? this.stdout.since(run.stdoutMark, STDOUT_RING) : [],
              ),
        );
      }, this.readyTimeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) {
        onAbort();
        return;
      }
      void run.exited.then(async (exit) => {
        if (settled) return;
        // It died: whatever the probe sees now (another process on the port) is not ours.
        probeControl.abort();
        if (run.spawnError !== undefined) {
          settle(
            new ProcessSpawnError(this.name, this.config.command, this.config.cwd, run.spawnError),
          );
          return;
        }
        await this.drainOutput(run);
        settle(new ProcessExitedError(this.name, exit, this.stderrOf(run), 'starting'));
      });
      this.probe(run, probe, probeControl.signal).then(
        () => {
          if (run.exit === undefined) settle();
        },
        () => undefined, // the probe only rejects when aborted, and then something else settled
      );
    });
  }

  /** Resolves when the probe passes; rejects only when `signal` aborts. */
  private probe(run: Run, probe: ReadyProbe | undefined, signal: AbortSignal): Promise<void> {
    if (probe === undefined) {
      return new Promise((resolve) => {
        // Spawned once it has a pid; a failed spawn never resolves and the exit path settles.
        if (run.pid !== undefined) resolve();
        else
          run.child.once('spawn', () => {
            resolve();
          });
      });
    }
    if ('tcp' in probe) return waitForTcp(probe.tcp, signal);
    const pattern = new RegExp(probe.stdout);
    return new Promise((resolve, reject) => {
      run.onStdoutLine = (line) => {
        if (pattern.test(line)) resolve();
      };
      signal.addEventListener(
        'abort',
        () => {
          reject(new Error('stdout probe aborted'));
        },
        { once: true },
      );
    });
  }

  /** Lets the last output of an exited process arrive, but not wait on a grandchild's pipes. */
  private async drainOutput(run: Run): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      run.outputClosed,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, OUTPUT_DRAIN_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private stderrOf(run: Run): string[] {
    return this.stderr.since(run.stderrMark, STDERR_IN_ERRORS);
  }

  // ------------------------------------------------------------------------------------------
  // Capabilities

  /** TCP probe services: the port still accepts. Others: the process is still alive. */
  async checkHealth(signal: AbortSignal): Promise<HealthCheckResult> {
    const run = this.current;
    if (run === undefined || run.exit !== undefined) {
      return { healthy: false, message: 'the process is not running' };
    }
    const probe = this.config.ready;
    if (probe === undefined || !('tcp' in probe)) return { healthy: true };
    try {
      await tcpConnect(probe.tcp, HEALTH_CONNECT_TIMEOUT_MS, signal);
      return { healthy: true };
    } catch (error) {
      return {
        healthy: false,
        message: `nothing accepts connections on 127.0.0.1:${probe.tcp}: ${describeError(error)}`,
      };
    }
  }

  /** Status metadata. Environment values are secrets: only the variable names are shown. */
  getServiceData(): JsonObject {
    const { command, args = [], env = {}, cwd, ready } = this.config;
    return {
      command,
      args: [...args],
      cwd: cwd ?? null,
      envKeys: Object.keys(env).sort(),
      pid: this.pid ?? null,
      ready:
        ready === undefined ? null : 'tcp' in ready ? { tcp: ready.tcp } : { stdout: ready.stdout },
      readyTimeoutMs: this.readyTimeoutMs,
      stopGraceMs: this.stopGraceMs,
      stderr: this.stderr.last(STDERR_IN_STATUS),
    };
  }
}
