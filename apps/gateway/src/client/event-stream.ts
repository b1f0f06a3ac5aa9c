import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { isAborted } from './aborted.js';
import { type GatewayEvent, gatewayEventSchema } from './api-schema.js';
import { describeConnectionFailure } from './connection-failure.js';
import { GatewayClientError } from './gateway-error.js';

/**
 * Parses a Server-Sent Events body into gateway events, in order. Ends when the server ends the
 * stream or `signal` aborts; throws `stream_lost` if the connection breaks off, and `protocol`
 * for an event it cannot read. Heartbeat comments are skipped.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  options: { baseUrl: string; signal?: AbortSignal },
): AsyncGenerator<GatewayEvent, void, undefined> {
  const messages: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (message) => {
      messages.push(message);
    },
  });
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const abort = (): void => {
    reader.cancel().catch(() => undefined);
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (isAborted(options.signal)) return;
        throw new GatewayClientError(
          'stream_lost',
          `the connection to ${options.baseUrl} broke off (${describeConnectionFailure(error)})`,
          { cause: error },
        );
      }
      if (chunk.done || isAborted(options.signal)) return;
      parser.feed(chunk.value);
      for (let message = messages.shift(); message; message = messages.shift()) {
        yield toEvent(message, options.baseUrl);
        if (isAborted(options.signal)) return;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
    reader.cancel().catch(() => undefined);
  }
}

function toEvent(message: EventSourceMessage, baseUrl: string): GatewayEvent {
  let data: unknown;
  try {
    data = JSON.parse(message.data) as unknown;
  } catch {
    data = undefined;
  }
  const parsed = gatewayEventSchema.safeParse(data);
  if (!parsed.success) {
    throw new GatewayClientError(
      'protocol',
      `${baseUrl} sent an event Corral cannot read (event: ${message.event ?? 'message'}, ` +
        `data: ${message.data.slice(0, 200)}): is it a Corral gateway of a compatible version?`,
    );
  }
  return parsed.data;
}
