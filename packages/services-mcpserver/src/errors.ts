import { CorralError, describeError } from '@corral/core';
import { describeExit, type ProcessExit } from './stdio/process-exit.js';

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
  ) {
    super(
      (phase === 'starting'
        ? `MCP server '${serviceName}' exited before it was ready (${describeExit(exit)}). ` +
          'Check the command, its arguments and environment.'
        : `MCP server '${serviceName}' exited unexpectedly (${describeExit(exit)}).`) +
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
      `MCP server '${serviceName}' did not start within ${timeoutMs / 1000} s (timeout): it was ` +
        `still ${phase}. Check that it speaks MCP on this transport, or raise timeout.` +
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
