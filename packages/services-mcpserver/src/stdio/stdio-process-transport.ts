import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import {
  deserializeMessage,
  type JSONRPCMessage,
  serializeMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { MessageTooLargeError, NotJsonRpcOutputError } from '../errors.js';
import { splitLines } from './line-splitter.js';
import type { ProcessExit } from './process-exit.js';
import { groupHasLiveMembers, signalGroup, waitForGroupExit } from './process-group.js';

export interface StdioProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** The child's whole environment (no implicit inheritance). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Longest JSON-RPC line accepted from the server; longer is a fatal transport error. */
  readonly maxMessageBytes: number;
  readonly onStderrLine: (line: string) => void;
}

/** How a stop should go: grace periods, and a signal that says "hurry: kill now". */
export interface TerminateOptions {
  readonly graceMs: number;
  readonly signal: AbortSignal;
}

/** After the leader exits, how long its last stdout may take to arrive before `onclose`. */
const OUTPUT_DRAIN_MS = 200;
/** After SIGKILL, how long to wait for the rest of the group to vanish. */
const KILL_WAIT_MS = 2_000;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
/**
 * Lines that are not JSON-RPC, in a row, that are skipped with a warning (a banner, a stray
 * `console.log`); one more is fatal: the server is not speaking MCP on stdout.
 */
export const MAX_NOT_JSON_RPC_LINES_IN_A_ROW = 20;
/** A line that cannot be JSON (it does not start with `{`) longer than this is fatal at once. */
export const MAX_NOT_JSON_RPC_LINE_BYTES = 64 * 1024;
/** How much of an offending line errors quote. */
const SAMPLE_CHARS = 200;

/**
 * An MCP stdio client transport that runs the server in a process group of its own (spawned
 * detached, without a shell), so that stopping it reaches every process it started. Messages
 * are framed with the SDK's own `ReadBuffer` / `serializeMessage`; the protocol is the SDK
 * `Client`'s. `close()` only ends stdin (the polite request); `terminate()` is the full stop.
 */
export class StdioProcessTransport implements Transport {
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];

  /** Set once the leader has exited (or failed to spawn). */
  exit: ProcessExit | undefined;
  /** Why the transport closed while the process still ran (an oversized message). */
  fatalError: Error | undefined;

  /** Whether a line just handled was fatal (a method, so the check is not narrowed away). */
  private hasFailed(): boolean {
    return this.fatalError !== undefined;
  }
  /** Settles once the leader has exited and been reaped, or failed to spawn. */
  readonly exited: Promise<ProcessExit>;
  /** Settles once `onclose` has fired: after the exit, with its last output read. */
  readonly closed: Promise<void>;

  private child: ChildProcess | undefined;
  private pendingChunks: Buffer[] = [];
  /** Lines in a row that were not JSON-RPC; a message resets it. */
  private notJsonRpcInARow = 0;
  /** Bytes of the line being received so far. */
  private partialBytes = 0;
  private closeFired = false;
  private resolveExited: (exit: ProcessExit) => void = () => undefined;
  private resolveClosed: () => void = () => undefined;

  constructor(private readonly options: StdioProcessOptions) {
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** The leader's pid, which is also the process group id. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('the transport was already started'));
    const { command, args, env, cwd } = this.options;
    return new Promise<void>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(command, [...args], {
          cwd,
          env: { ...env },
          detached: true, // its own process group: one signal reaches every descendant
          shell: false,
          stdio: ['pipe', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (error) {
        reject(toError(error));
        return;
      }
      this.child = child;
      child.once('spawn', () => {
        resolve();
      });
      child.on('error', (error) => {
        // Without a pid the spawn failed (ENOENT, EACCES, a bad cwd) and no 'exit' follows.
        if (child.pid === undefined) {
          this.recordExit({ code: null, signal: null });
          reject(error);
          this.fireClose();
          return;
        }
        this.onerror?.(error);
      });
      child.once('exit', (code, signal) => {
        this.recordExit({ code, signal });
        void this.closeAfterDrain(child);
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        this.onStdout(chunk);
      });
      child.stdout?.on('error', () => undefined); // the exit reports what matters
      // EPIPE once the child is gone: the exit (or the stop) says why.
      child.stdin?.on('error', () => undefined);
      if (child.stderr) splitLines(child.stderr, this.options.onStderrLine);
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.exit !== undefined || this.fatalError !== undefined || !stdin.writable) {
      return Promise.reject(new Error('not connected: the server process is not running'));
    }
    const data = serializeMessage(message);
    return new Promise((resolve, reject) => {
      stdin.write(data, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Ends stdin: the MCP way to ask a stdio server to exit. `onclose` follows its exit. */
  close(): Promise<void> {
    const stdin = this.child?.stdin;
    if (!this.child || this.exit !== undefined) this.fireClose();
    else if (stdin && !stdin.writableEnded) stdin.end();
    return Promise.resolve();
  }

  /**
   * Stops the whole process group: end stdin, wait `graceMs` for it to go, SIGTERM the group,
   * wait `graceMs` again, SIGKILL the group (at once when `signal` aborts). Resolves once the
   * leader has exited; true if no live member of the group remains, false if one outlived
   * SIGKILL (left its group, or is stuck in the kernel).
   */
  async terminate({ graceMs, signal }: TerminateOptions): Promise<boolean> {
    const child = this.child;
    const pgid = child?.pid;
    if (!child || pgid === undefined) return true;
    const stdin = child.stdin;
    if (stdin && !stdin.writableEnded) stdin.end();
    const wait = (ms: number): Promise<boolean> =>
      waitForGroupExit(pgid, ms, { signal, wake: this.exited });
    if (!signal.aborted && graceMs > 0) await wait(graceMs);
    if (!signal.aborted && (await groupHasLiveMembers(pgid))) {
      signalGroup(pgid, 'SIGTERM');
      if (graceMs > 0) await wait(graceMs);
    }
    if (await groupHasLiveMembers(pgid)) signalGroup(pgid, 'SIGKILL');
    // The leader cannot leave its own group, but never wait forever on that belief.
    if (this.exit === undefined) child.kill('SIGKILL');
    await this.exited;
    const empty = await waitForGroupExit(pgid, KILL_WAIT_MS, { wake: this.exited });
    // A process that left the group could still hold the pipes open: let go of them.
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.stdin?.destroy();
    this.fireClose();
    return empty;
  }

  /**
   * The start of a line the server began on stdout and has not finished, if any: a server that
   * stalls or dies mid-message leaves one.
   */
  unfinishedLine(): { bytes: number; start: string } | undefined {
    if (this.partialBytes === 0) return undefined;
    const head = Buffer.concat(this.pendingChunks).subarray(0, SAMPLE_CHARS * 4);
    return { bytes: this.partialBytes, start: sample(head.toString('utf8')) };
  }

  /**
   * Frames stdout into lines; each is parsed by the SDK (`deserializeMessage`). A line that is
   * not JSON-RPC is skipped with a warning (`onerror`, not fatal) unless the server keeps at it.
   */
  private onStdout(chunk: Buffer): void {
    if (this.fatalError !== undefined) return;
    const max = this.options.maxMessageBytes;
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (this.partialBytes + end - start > max) {
        this.fail(new MessageTooLargeError(max));
        return;
      }
      const piece = chunk.subarray(start, end);
      // Pieces of one line are joined once, when it is complete: a 10 MB message costs one copy.
      const line =
        this.pendingChunks.length === 0 ? piece : Buffer.concat([...this.pendingChunks, piece]);
      this.pendingChunks = [];
      this.partialBytes = 0;
      start = end + 1;
      this.onLine(line);
      if (this.hasFailed()) return;
    }
    if (start === chunk.length) return;
    const rest = chunk.subarray(start);
    this.partialBytes += rest.length;
    if (this.partialBytes > max) {
      this.fail(new MessageTooLargeError(max));
      return;
    }
    this.pendingChunks.push(rest);
    const first = this.pendingChunks[0];
    if (this.partialBytes > MAX_NOT_JSON_RPC_LINE_BYTES && first !== undefined) {
      if (!startsLikeJson(first)) this.failOnLongLine(first);
    }
  }

  private onLine(line: Buffer): void {
    const text = stripCarriageReturn(line.toString('utf8'));
    if (text.trim() === '') return; // a blank line carries nothing, right or wrong
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(text);
    } catch {
      if (line.length > MAX_NOT_JSON_RPC_LINE_BYTES && !startsLikeJson(line)) {
        this.failOnLongLine(line);
        return;
      }
      this.notJsonRpcInARow += 1;
      const error = new NotJsonRpcOutputError(sample(text), this.notJsonRpcInARow, 'in-a-row');
      if (this.notJsonRpcInARow > MAX_NOT_JSON_RPC_LINES_IN_A_ROW) this.fail(error);
      else this.onerror?.(error);
      return;
    }
    this.notJsonRpcInARow = 0;
    this.onmessage?.(message);
  }

  private failOnLongLine(line: Buffer): void {
    const text = line.subarray(0, SAMPLE_CHARS * 4).toString('utf8');
    this.fail(new NotJsonRpcOutputError(sample(text), this.notJsonRpcInARow + 1, 'too-long'));
  }

  private fail(error: Error): void {
    this.fatalError = error;
    this.pendingChunks = [];
    this.partialBytes = 0;
    this.onerror?.(error);
    this.fireClose();
  }

  private recordExit(exit: ProcessExit): void {
    if (this.exit !== undefined) return;
    this.exit = exit;
    this.resolveExited(exit);
  }

  /** Lets the last output of an exited process arrive, but not wait on a grandchild's pipes. */
  private async closeAfterDrain(child: ChildProcess): Promise<void> {
    const open = [child.stdout, child.stderr].filter(
      (stream): stream is Readable => stream !== null && !stream.readableEnded && !stream.destroyed,
    );
    if (open.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(
          open.map(
            (stream) =>
              new Promise<void>((resolve) => {
                stream.once('close', resolve);
                stream.once('end', resolve);
              }),
          ),
        ),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, OUTPUT_DRAIN_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    this.fireClose();
  }

  private fireClose(): void {
    if (this.closeFired) return;
    this.closeFired = true;
    this.resolveClosed();
    this.onclose?.();
  }
}

function startsLikeJson(line: Buffer): boolean {
  const first = line.find((byte) => byte !== 0x20 && byte !== 0x09);
  return first === undefined || first === OPEN_BRACE;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The start of `text`, fit to quote: at most SAMPLE_CHARS, control characters escaped. */
function sample(text: string): string {
  const head = text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
  return JSON.stringify(head);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
