import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { isNotification, isRequest, isResponse } from '../src/message-kind.js';

const messages: [name: string, kind: string, message: JSONRPCMessage][] = [
  ['request', 'request', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }],
  ['request with a string id', 'request', { jsonrpc: '2.0', id: 'a', method: 'ping' }],
  [
    'notification',
    'notification',
    { jsonrpc: '2.0', method: 'notifications/progress', params: {} },
  ],
  ['result', 'response', { jsonrpc: '2.0', id: 1, result: {} }],
  ['error', 'response', { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'no' } }],
];

describe('message kinds told by their keys', () => {
  it.each(messages)('classifies a %s as exactly one kind', (_name, expected, message) => {
    const kinds = [
      isRequest(message) && 'request',
      isNotification(message) && 'notification',
      isResponse(message) && 'response',
    ].filter(Boolean);
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
