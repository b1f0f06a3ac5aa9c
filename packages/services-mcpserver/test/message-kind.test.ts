import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { isNotification, isRequest, isResponse } from '../src/message-kind.js';

const messages: Record<string, JSONRPCMessage> = {
  request: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } },
  'request with a string id': { jsonrpc: '2.0', id: 'a', method: 'ping' },
  notification: { jsonrpc: '2.0', method: 'notifications/progress', params: {} },
  result: { jsonrpc: '2.0', id: 1, result: {} },
  error: { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'no' } },
};

describe('message kinds told by their keys', () => {
  it.each(Object.entries(messages))('classifies a %s as exactly one kind', (name, message) => {
    const kinds = [
      isRequest(message) && 'request',
      isNotification(message) && 'notification',
      isResponse(message) && 'response',
    ].filter(Boolean);
    const expected = name.startsWith('request')
      ? 'request'
      : name === 'notification'
        ? 'notification'
        : 'response';
    expect(kinds).toEqual([expected]);
  });

  it('counts an error answer with a null id (to an unparseable request) as a response', () => {
    const message = JSON.parse(
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
    ) as JSONRPCMessage;
    expect(isResponse(message)).toBe(true);
    expect(isRequest(message)).toBe(false);
  });
});
