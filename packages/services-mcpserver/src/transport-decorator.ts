import type {
  JSONRPCMessage,
  MessageExtraInfo,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/client';

/**
 * A transport that wraps another and passes everything through; subclasses change what they
 * need by overriding `receive` (a message from the inner transport), `send` or `innerClosed`.
 */
export abstract class TransportDecorator implements Transport {
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];

  constructor(readonly inner: Transport) {
    inner.onmessage = (message, extra) => {
      this.receive(message, extra);
    };
    inner.onerror = (error) => {
      this.onerror?.(error);
    };
    inner.onclose = () => {
      this.innerClosed();
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

  /** A message from the inner transport: passed on as it is unless overridden. */
  protected receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    this.onmessage?.(message, extra);
  }

  /** The inner transport closed: passed on unless overridden. */
  protected innerClosed(): void {
    this.onclose?.();
  }
}
