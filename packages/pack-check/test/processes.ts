import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { repoRoot } from './publishable.js';

/**
 * The environment of a user's shell: none of vitest's or pnpm's variables (pnpm passes its own
 * settings on as npm_config_*), and no workspace `node_modules/.bin` on PATH, so nothing the
 * workspace has installed can stand in for what the temp project is missing.
 */
export function userEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(VITEST|TEST$|NODE_OPTIONS$|NODE_PATH$|PNPM_|TURBO_|INIT_CWD$)/.test(key)) continue;
    if (/^npm_/i.test(key) && !/^npm_config_(cache|registry|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => !dir.startsWith(repoRoot.replace(/\/$/, '')))
    .join(delimiter);
  env['NO_COLOR'] = '1';
  env['npm_config_update_notifier'] = 'false';
  env['npm_config_fund'] = 'false';
  env['npm_config_audit'] = 'false';
  return { ...env, ...extra };
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Started {
  readonly child: ChildProcess;
  readonly finished: Promise<Finished>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGKILL to the whole process group (it was started detached): the cleanup of last resort. */
  killGroup(): void;
}

export interface StartOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts a command in a process group of its own, collecting its output. */
export function start(command: string, args: readonly string[], options: StartOptions): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? userEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const finished = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    finished,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = pattern.exec(stdout);
          if (match === null) return false;
          done();
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `no ${String(pattern)} on stdout within ${timeoutMs} ms:\n${stdout}\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const onExit = (): void => {
          if (check()) return;
          done();
          reject(new Error(`exited before printing ${String(pattern)}:\n${stdout}\n${stderr}`));
        };
        const done = (): void => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('close', onExit);
        };
        child.stdout.on('data', check);
        child.once('close', onExit);
        check();
      }),
    killGroup: () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Runs a command to its end; past `timeoutMs` its whole process group is killed and it rejects. */
export async function run(
  command: string,
  args: readonly string[],
  options: StartOptions & { readonly timeoutMs: number },
): Promise<Finished> {
  const started = start(command, args, options);
  const timer = setTimeout(() => {
    started.killGroup();
  }, options.timeoutMs);
  try {
    const result = await started.finished;
    if (result.signal === 'SIGKILL') {
      throw new Error(
        `${command} ${args.join(' ')} took longer than ${options.timeoutMs} ms:\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** What a failed command said, for assertion messages. */
export function describeRun(result: Finished): string {
  return `exit ${String(result.code)} ${result.signal ?? ''}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/**
 * Live processes whose command line mentions `text` (Linux, via /proc): after an example has
 * ended, none may remain of what it started from the temp project.
 */
export async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      if (cmdline.includes(text)) found.push(`${entry}: ${cmdline.trim()}`);
    } catch {
      // exited while we looked
    }
  }
  return found;
}
