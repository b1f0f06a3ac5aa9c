import type { Clock, CorralEvent, Logger, TimerHandle } from '@corral/core';
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { eventJson } from '../json-views.js';
import type { StateChangeStream } from '../service-management.js';

export interface EventStreamSettings {
  readonly clock: Clock;
  readonly heartbeatIntervalMs: number;
  readonly logger: Logger;
}

function writeEvent(sse: SSEStreamingApi, event: CorralEvent): Promise<void> {
  const data = JSON.stringify(eventJson(event));
  // Overflow markers carry no id, so a reconnect resumes after the last real event.
  return event.kind === 'state'
    ? sse.writeSSE({ event: event.kind, id: String(event.seq), data })
    : sse.writeSSE({ event: event.kind, data });
}

/**
 * Serves `events` as Server-Sent Events: `event:` is the kind (`state`, `overflow`), `id:` the
 * seq, `data:` the JSON. A comment every heartbeat interval keeps proxies from closing an idle
 * stream. Ends when the stream does (the orchestrator stopped) or the client goes away.
 */
export function eventStreamResponse(
  c: Context,
  events: StateChangeStream,
  settings: EventStreamSettings,
): Response {
  return streamSSE(
    c,
    async (sse) => {
      sse.onAbort(() => {
        events.unsubscribe();
      });
      let timer: TimerHandle | undefined;
      let ended = false;
      const beat = (): void => {
        if (ended) return;
        timer = settings.clock.setTimeout(() => {
          if (ended || sse.closed || sse.aborted) return;
          void sse.write(': heartbeat\n\n').then(beat);
        }, settings.heartbeatIntervalMs);
      };
      try {
        // Sent at once so the client sees the stream open before the first event.
        await sse.write(': corral events\n\n');
        beat();
        for await (const event of events) {
          if (sse.aborted) break;
          await writeEvent(sse, event);
        }
      } finally {
        ended = true;
        settings.clock.clearTimeout(timer);
        events.unsubscribe();
      }
    },
    (error) => {
      settings.logger.warn(`event stream failed: ${error.message}`);
      return Promise.resolve();
    },
  );
}
