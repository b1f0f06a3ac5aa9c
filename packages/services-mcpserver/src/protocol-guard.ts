import type {
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/client';
import { isRequest, isResponse } from './message-kind.js';
import { TransportDecorator } from './transport-decorator.js';

export interface ProtocolGuardHooks {
  /** A request is about to go out (its method): how a start knows what it waits on. */
  onRequestSent(method: string): void;
  /** The server answered an id we never sent. The answer is dropped. */
  onUnknownResponseId(id: RequestId): void;
}

/** String ids awaiting an answer that are remembered; the SDK's own ids are numbers. */
const MAX_STRING_IDS = 1024;

/**
 * Wraps a transport to tell apart what the SDK reports alike as "unknown message ID": a late
 * answer to a request we gave up on (timed out, cancelled — harmless, passed on) and an answer
 * to an id we never sent (a broken server, whose answers cannot be matched to requests —
 * reported and dropped). The SDK numbers its requests upwards from 0, so "never sent" is a
 * number above the highest sent, or a string we did not send.
 */
export class ProtocolGuardTransport extends TransportDecorator {
  private highestNumericId = -1;
  private readonly stringIds = new Set<string>();

  constructor(
    inner: Transport,
    private readonly hooks: ProtocolGuardHooks,
  ) {
    super(inner);
  }

  protected override receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    if (isResponse(message)) {
      // Typed as always present, but an error answer to an unparseable request carries null.
      const id = message.id as typeof message.id | null | undefined;
      if (id !== undefined && id !== null) {
        if (!this.wasSent(id)) {
          this.hooks.onUnknownResponseId(id);
          return;
        }
        if (typeof id === 'string') this.stringIds.delete(id);
      }
    }
    this.onmessage?.(message, extra);
  }

  override send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isRequest(message)) {
      const { id } = message;
      if (typeof id === 'number') this.highestNumericId = Math.max(this.highestNumericId, id);
      else this.rememberStringId(id);
      this.hooks.onRequestSent(message.method);
    }
    return this.inner.send(message, options);
  }

  private wasSent(id: RequestId): boolean {
    if (typeof id === 'number')
      return Number.isInteger(id) && id >= 0 && id <= this.highestNumericId;
    return this.stringIds.has(id);
  }

  private rememberStringId(id: string): void {
    if (this.stringIds.size >= MAX_STRING_IDS) {
      const oldest = this.stringIds.values().next();
      if (oldest.done !== true) this.stringIds.delete(oldest.value);
    }
    this.stringIds.add(id);
  }
}
