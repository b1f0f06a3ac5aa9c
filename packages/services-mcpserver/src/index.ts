/**
 * @corral/services-mcpserver — the complete public surface: the `MCPServer` service type, which
 * runs MCP servers (stdio child processes, streamable HTTP, SSE) as supervised Corral services.
 */

// The plugin and the service it registers.
export { mcpServerPlugin } from './plugin.js';
export { MCPServerService } from './mcp-server-service.js';
export type { MCPServerServiceOptions } from './mcp-server-service.js';

// Configuration.
export { mcpServerConfigSchema, mcpServerDefaults, resolveSettings } from './config.js';
export type {
  MCPServerConfig,
  MCPServerSettings,
  PingConfig,
  RemoteTransportKind,
  TransportKind,
} from './config.js';

// Redaction, for anyone showing MCP server config.
export { REDACTED, redactArgs, redactUrl, redactValues } from './redaction.js';

// Errors: typed, with stable codes.
export {
  MCPConnectionLostError,
  MCPInvalidParamsError,
  MCPProtocolViolationError,
  MCPServerConnectError,
  MCPServerExitedError,
  MCPServerNotRunningError,
  MCPServerSpawnError,
  MCPServerStartFailedError,
  MCPServerStartTimeoutError,
  MCPSessionLostError,
  MessageTooLargeError,
  NotJsonRpcOutputError,
} from './errors.js';
export type { ProcessExit } from './stdio/process-exit.js';

// A transport wrapper for any SDK client: a notification is never overtaken by the response
// right behind it (the SDK handles notifications a microtask late), so no final progress is lost.
export { OrderedDeliveryTransport } from './ordered-delivery.js';
