import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/api/sse-parser.js';

describe('the event-stream reader (EventSource cannot send a token)', () => {
  it('reads events with their name, id and data, as the gateway writes them', () => {
    const parser = new SseParser();
    const messages = parser.push(
      'event: state\nid: 7\ndata: {"seq":7}\n\n: keep-alive\n\nevent: overflow\ndata: {"dropped":3}\n\n',
    );
    expect(messages).toEqual([
      { event: 'state', id: '7', data: '{"seq":7}' },
      // The last id carries on, as EventSource's lastEventId does.
      { event: 'overflow', id: '7', data: '{"dropped":3}' },
    ]);
  });

  it('joins chunks split anywhere, CRLF included, and multi-line data', () => {
    const parser = new SseParser();
    const text = 'retry: 500\r\nevent: state\r\nid: 8\r\ndata: a\r\ndata:b\r\n\r\n';
    const messages = text.split('').flatMap((char) => parser.push(char));
    expect(messages).toEqual([{ event: 'state', id: '8', data: 'a\nb' }]);
    expect(parser.retryMs).toBe(500);
  });

  it('dispatches nothing for an event without data, and names unnamed events message', () => {
    const parser = new SseParser();
    expect(parser.push('event: state\n\ndata: x\n\n')).toEqual([
      { event: 'message', id: undefined, data: 'x' },
    ]);
  });
});
