import {
  isJSONRPCNotification,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';

/**
 * Wraps a transport so that the SDK client sees messages in the order they crossed the wire.
 *
 * The client dispatches a notification a microtask after it arrives but a response at once, so
 * when a progress notification and the result right behind it are read together, the result
 * removes the progress handler first and the last progress report is lost. Here, whatever
 * follows a notification is handed over on the next macrotask, once the notification has been
 * dispatched; `onclose` waits for anything still queued.
 */
export class OrderedDeliveryTransport implements Transport {
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];

  private readonly queue: { message: JSONRPCMessage; extra: MessageExtraInfo | undefined }[] = [];
  private waiting = false;
  private closePending = false;

  constructor(readonly inner: Transport) {
    inner.onmessage = (message, extra) => {
      this.queue.push({ message, extra });
      if (!this.waiting) this.drain();
    };
    inner.onerror = (error) => {
      this.onerror?.(error);
    };
    inner.onclose = () => {
      if (this.waiting) this.closePending = true;
      else this.onclose?.();
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  get hasPerRequestStream(): boolean | undefined {
    return this.inner.hasPerRequestStream;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.inner.setSupportedProtocolVersions?.(versions);
  }

  private drain(): void {
    this.waiting = false;
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      this.onmessage?.(next.message, next.extra);
      if (isJSONRPCNotification(next.message)) {
        this.waiting = true;
        setImmediate(() => {
          this.drain();
        });
        return;
      }
    }
    if (this.closePending) {
      this.closePending = false;
      this.onclose?.();
    }
  }
}
