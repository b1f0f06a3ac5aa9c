import { CorralError, describeError } from '@corral/core';
import type { ReadyProbe } from './config.js';

/** How a process ended: an exit code, or the signal that killed it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function describeExit(exit: ProcessExit): string {
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

export function describeProbe(probe: ReadyProbe): string {
  return 'tcp' in probe
    ? `a TCP connection to 127.0.0.1:${probe.tcp} (ready.tcp)`
    : `a stdout line matching /${probe.stdout}/ (ready.stdout)`;
}

function stderrTail(lines: readonly string[]): string {
  if (lines.length === 0) return ' It wrote nothing to stderr.';
  return quote('Last stderr lines', lines);
}

function quote(title: string, lines: readonly string[]): string {
  return ` ${title}:\n${lines.map((line) => `    ${line}`).join('\n')}`;
}

/** The command exited: before it was ready (the start fails) or while running (a failure). */
export class ProcessExitedError extends CorralError {
  readonly code = 'PROCESS_EXITED';
  constructor(
    readonly serviceName: string,
    readonly exit: ProcessExit,
    readonly stderr: readonly string[],
    readonly phase: 'starting' | 'running',
  ) {
    super(
      (phase === 'starting'
        ? `service '${serviceName}': the process exited before it was ready (${describeExit(exit)}).`
        : `service '${serviceName}': the process exited unexpectedly (${describeExit(exit)}).`) +
        stderrTail(stderr),
    );
  }
}

/** The readiness probe did not succeed within `readyTimeoutMs`. */
export class ProcessReadyTimeoutError extends CorralError {
  readonly code = 'PROCESS_READY_TIMEOUT';
  constructor(
    readonly serviceName: string,
    readonly probe: ReadyProbe,
    readonly timeoutMs: number,
    stderr: readonly string[],
    stdout: readonly string[] = [],
  ) {
    super(
      `service '${serviceName}' was not ready within ${timeoutMs} ms: waited for ` +
        `${describeProbe(probe)}. ` +
        ('tcp' in probe
          ? 'Check that the command listens on that port on 127.0.0.1'
          : 'Check the pattern against what the command prints') +
        ', or raise readyTimeoutMs.' +
        (stdout.length > 0 ? quote('Last stdout lines', stdout) : '') +
        (stderr.length > 0 ? quote('Last stderr lines', stderr) : ''),
    );
  }
}

/** The command could not be run at all (not found, not executable, bad cwd). */
export class ProcessSpawnError extends CorralError {
  readonly code = 'PROCESS_SPAWN_FAILED';
  constructor(
    readonly serviceName: string,
    readonly command: string,
    cwd: string | undefined,
    cause: unknown,
  ) {
    super(
      `service '${serviceName}' could not run '${command}': ` +
        `${describeError(cause)}. Check that the command ` +
        `exists and is executable (on PATH, or give an absolute path)` +
        (cwd === undefined ? '.' : ` and that the directory '${cwd}' (cwd) exists.`),
      { cause },
    );
  }
}
