import { CorralError, describeError } from '@corral/core';
import { describeExit, type ProcessExit } from './stdio/process-exit.js';

/** The start phase in which only the server's answer to `initialize` is awaited. */
export const AWAITING_INITIALIZE = 'waiting for its answer to initialize';

/**
 * The errors an MCP server service raises. Each names the service, says what happened and what
 * to do; none carries a secret (URLs are redacted, stderr is scrubbed before it gets here).
 */

function quote(title: string, lines: readonly string[]): string {
  return ` ${title}:\n${lines.map((line) => `    ${line}`).join('\n')}`;
}

function stderrTail(lines: readonly string[]): string {
  return lines.length === 0 ? ' It wrote nothing to stderr.' : quote('Last stderr lines', lines);
}

/** The stdio server's process exited: before it was ready, or while running. */
export class MCPServerExitedError extends CorralError {
  readonly code = 'MCP_SERVER_EXITED';
  constructor(
    readonly serviceName: string,
    readonly exit: ProcessExit,
    readonly stderr: readonly string[],
    readonly phase: 'starting' | 'running',
    /** What else it left behind, e.g. a message unfinished on stdout (scrubbed). */
    note?: string,
  ) {
    super(
      (phase === 'starting'
        ? `MCP server '${serviceName}' exited before it was ready (${describeExit(exit)}). ` +
          'Check the command, its arguments and environment.'
        : `MCP server '${serviceName}' exited unexpectedly (${describeExit(exit)}).`) +
        (note === undefined ? '' : ` Before it exited, ${note}.`) +
        stderrTail(stderr),
    );
  }
}

/** The command could not be run at all (not found, not executable, bad cwd). */
export class MCPServerSpawnError extends CorralError {
  readonly code = 'MCP_SERVER_SPAWN_FAILED';
  constructor(
    readonly serviceName: string,
    readonly command: string,
    cwd: string | undefined,
    cause: unknown,
  ) {
    super(
      `MCP server '${serviceName}' could not run '${command}': ${describeError(cause)}. ` +
        'Check that the command exists and is executable (on the PATH, or give an absolute ' +
        `path)${cwd === undefined ? '.' : ` and that the directory '${cwd}' (cwd) exists.`}`,
      { cause },
    );
  }
}

/** Start (connect, initialize, list) did not finish within `timeout`. */
export class MCPServerStartTimeoutError extends CorralError {
  readonly code = 'MCP_SERVER_START_TIMEOUT';
  constructor(
    readonly serviceName: string,
    readonly timeoutMs: number,
    readonly phase: string,
    stderr: readonly string[] | undefined,
  ) {
    super(
      (phase === AWAITING_INITIALIZE
        ? `MCP server '${serviceName}' did not answer initialize within ${timeoutMs / 1000} s ` +
          '(timeout): it is running but never answered the first request of the protocol. ' +
          'Check that it speaks MCP on this transport (for stdio: on stdout, one JSON-RPC ' +
          'message per line), or raise timeout if it is only slow to start.'
        : `MCP server '${serviceName}' did not start within ${timeoutMs / 1000} s (timeout): ` +
          `it was still ${phase}. Check that it speaks MCP on this transport, or raise timeout.`) +
        (stderr === undefined ? '' : stderrTail(stderr)),
    );
  }
}

/** A remote server could not be reached or answered with an HTTP error. */
export class MCPServerConnectError extends CorralError {
  readonly code = 'MCP_SERVER_CONNECT_FAILED';
  constructor(
    readonly serviceName: string,
    /** Redacted. */
    readonly url: string,
    /** The HTTP status, when the server answered. */
    readonly status: number | undefined,
    reason: string,
  ) {
    super(
      `MCP server '${serviceName}' at ${url}: ${reason}` +
        (status === undefined
          ? ' Check that the server is running and that url is right.'
          : status === 404 || status === 405
            ? ' Check the path in url (e.g. /mcp or /sse) and the transport (streamable-http or sse).'
            : ' Check the server and its logs.'),
    );
  }
}

/** A streamable-HTTP session the server forgot could not be re-established. */
export class MCPSessionLostError extends CorralError {
  readonly code = 'MCP_SESSION_LOST';
  constructor(
    readonly serviceName: string,
    /** Why, already scrubbed of secrets. */
    reason: string,
  ) {
    super(
      `MCP server '${serviceName}' forgot our session and it could not be re-established: ` +
        reason,
    );
  }
}

/** The connection to a remote server closed or broke while running. */
export class MCPConnectionLostError extends CorralError {
  readonly code = 'MCP_CONNECTION_LOST';
  constructor(
    readonly serviceName: string,
    why: string,
  ) {
    super(`MCP server '${serviceName}': the connection was lost (${why}).`);
  }
}

/** A stdio server wrote a JSON-RPC line longer than the transport accepts. */
export class MessageTooLargeError extends CorralError {
  readonly code = 'MCP_MESSAGE_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(
      `the server sent a message longer than ${maxBytes} bytes on stdout; the connection was ` +
        'closed. Have the tool return less, or page its output.',
    );
  }
}

/** A call to a service that has no live connection. */
export class MCPServerNotRunningError extends CorralError {
  readonly code = 'MCP_SERVER_NOT_RUNNING';
  constructor(
    readonly serviceName: string,
    state: string,
  ) {
    super(
      `MCP server '${serviceName}' is ${state}, not running: start it first (or wait for its ` +
        'retry), then call again.',
    );
  }
}

/** A request whose params do not have the shape MCP requires; refused before it is sent. */
export class MCPInvalidParamsError extends CorralError {
  readonly code = 'MCP_INVALID_PARAMS';
  constructor(
    readonly serviceName: string,
    readonly method: string,
    problems: string,
  ) {
    super(
      `Invalid params for ${method} to MCP server '${serviceName}': ${problems}. Send them in ` +
        'the shape the MCP specification gives for this request.',
    );
  }
}

/** Start failed for a reason that is neither an exit, a timeout nor an HTTP error. */
export class MCPServerStartFailedError extends CorralError {
  readonly code = 'MCP_SERVER_START_FAILED';
  constructor(
    readonly serviceName: string,
    phase: string,
    reason: string,
    stderr: readonly string[] | undefined,
  ) {
    super(
      `MCP server '${serviceName}' failed to start while ${phase}: ${reason}` +
        (stderr === undefined || stderr.length === 0 ? '' : quote('Last stderr lines', stderr)),
    );
  }
}

/**
 * A stdio server wrote a line to stdout that is not JSON-RPC (transport-level: the service turns
 * a fatal one into `MCPProtocolViolationError`). `sample` is the line's start, JSON-quoted.
 */
export class NotJsonRpcOutputError extends CorralError {
  readonly code = 'MCP_NOT_JSON_RPC_OUTPUT';
  constructor(
    readonly sample: string,
    /** Such lines in a row, this one included. */
    readonly inARow: number,
    /** `in-a-row`: one more skipped (or too many) line; `too-long`: a huge non-JSON line. */
    readonly kind: 'in-a-row' | 'too-long',
  ) {
    super(
      kind === 'too-long'
        ? `wrote something that is not JSON-RPC to stdout: a line of more than 64 KiB that is ` +
            `not JSON, starting ${sample}`
        : `wrote something that is not JSON-RPC to stdout: ${sample}` +
            (inARow > 1 ? ` (${inARow} such lines in a row)` : ''),
    );
  }
}

/**
 * The server broke the protocol in a way that leaves the connection unusable: too much output
 * on stdout that is not JSON-RPC, or an answer to a request we never sent.
 */
export class MCPProtocolViolationError extends CorralError {
  readonly code = 'MCP_PROTOCOL_VIOLATION';
  constructor(
    readonly serviceName: string,
    /** What it did, already scrubbed of secrets (e.g. "answered with an id we never sent"). */
    what: string,
    advice: string,
  ) {
    super(`MCP server '${serviceName}' ${what}. ${advice}`);
  }

  static notJsonRpc(
    serviceName: string,
    cause: NotJsonRpcOutputError,
    scrub: (text: string) => string,
  ): MCPProtocolViolationError {
    return new MCPProtocolViolationError(
      serviceName,
      scrub(cause.message),
      'A stdio MCP server must write only JSON-RPC messages to stdout, one per line: have it ' +
        'send logs and banners to stderr.',
    );
  }

  static unknownResponseId(serviceName: string, id: string): MCPProtocolViolationError {
    return new MCPProtocolViolationError(
      serviceName,
      `answered with an id we never sent (${id})`,
      'Its answers cannot be matched to our requests, so the connection was closed. This is a ' +
        'bug in the server: report it to its authors.',
    );
  }
}
