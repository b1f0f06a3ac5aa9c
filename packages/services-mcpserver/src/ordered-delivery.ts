import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/client';
import { isNotification } from './message-kind.js';
import { TransportDecorator } from './transport-decorator.js';

/**
 * Wraps a transport so that the SDK client sees messages in the order they crossed the wire.
 *
 * The client dispatches a notification a microtask after it arrives but a response at once, so
 * when a progress notification and the result right behind it are read together, the result
 * removes the progress handler first and the last progress report is lost. Here, a request or
 * response that follows a notification is handed over on the next macrotask, once the
 * notification has been dispatched; `onclose` waits for anything still queued.
 *
 * Notifications in a row are handed over at once (the client dispatches them in order), so a
 * server flooding notifications cannot outrun us: what waits is at most what arrived since the
 * last macrotask, never a backlog that grows with the flood.
 */
export class OrderedDeliveryTransport extends TransportDecorator {
  private readonly queue: { message: JSONRPCMessage; extra: MessageExtraInfo | undefined }[] = [];
  /** A notification was handed over and the client may not have dispatched it yet. */
  private notificationInFlight = false;
  private settleScheduled = false;
  private closePending = false;

  protected override receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    this.queue.push({ message, extra });
    this.drain();
  }

  protected override innerClosed(): void {
    if (this.queue.length > 0 || this.settleScheduled) this.closePending = true;
    else this.onclose?.();
  }

  private drain(): void {
    for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
      const notification = isNotification(next.message);
      if (!notification && this.notificationInFlight) {
        this.scheduleSettle();
        return;
      }
      this.queue.shift();
      this.onmessage?.(next.message, next.extra);
      if (notification) {
        this.notificationInFlight = true;
        this.scheduleSettle();
      }
    }
    if (this.closePending && !this.settleScheduled) {
      this.closePending = false;
      this.onclose?.();
    }
  }

  /** On the next macrotask every notification handed over has been dispatched. */
  private scheduleSettle(): void {
    if (this.settleScheduled) return;
    this.settleScheduled = true;
    setImmediate(() => {
      this.settleScheduled = false;
      this.notificationInFlight = false;
      this.drain();
    });
  }
}
