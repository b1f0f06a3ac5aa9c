import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCRequest,
  JSONRPCResultResponse,
} from '@modelcontextprotocol/client';

// The kind of a message a transport already parsed and validated (or the SDK built), told by its
// keys. The SDK's `isJSONRPC…` guards validate the whole message again with zod, which fails —
// and builds an error — for every message of another kind: on a gateway's per-call path that
// was a few percent of its CPU, for no information the keys do not already give.

/** A request: a method and an id. */
export function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

/** A notification: a method and no id. */
export function isNotification(message: JSONRPCMessage): boolean {
  return 'method' in message && !('id' in message);
}

/** A response: a result or an error, and no method. */
export function isResponse(
  message: JSONRPCMessage,
): message is JSONRPCResultResponse | JSONRPCErrorResponse {
  return !('method' in message) && ('result' in message || 'error' in message);
}
