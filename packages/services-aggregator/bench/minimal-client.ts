import { Agent, request } from 'node:http';

/**
 * The least an MCP client over streamable HTTP can do: node:http with keep-alive sockets (one
 * by default; more for concurrent requests on the one session), one JSON-RPC request per POST,
 * the answer read from the SSE (or JSON) response as text. No SDK, no validation — to see what
 * the aggregator costs and sustains apart from the SDK client's own work.
 */
export class MinimalClient {
  private readonly agent: Agent;
  private headers: Record<string, string> = {};
  private nextId = 1;

  constructor(
    private readonly url: URL,
    sockets = 1,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  async initialize(): Promise<void> {
    const { headers } = await this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bench-minimal', version: '1.0.0' },
      },
    });
    const session = headers['mcp-session-id'];
    if (typeof session !== 'string') throw new Error('no session id');
    this.headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Sends one request and returns the response body (an SSE event or JSON) as text. */
  async request(method: string, params?: Record<string, unknown>): Promise<string> {
    const { text } = await this.post({
      jsonrpc: '2.0',
      id: this.nextId++,
      method,
      ...(params ? { params } : {}),
    });
    return text;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(
    body: unknown,
    retried = false,
  ): Promise<{ headers: Record<string, unknown>; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...this.headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            resolve({ headers: res.headers, text });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed (idle past its keep-alive timeout) just as
        // this request went out on it: the request never reached the server, so send it again
        // on a fresh socket — the retry Node's docs give for `reusedSocket`.
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) {
          this.post(body, true).then(resolve, reject);
          return;
        }
        reject(error);
      });
      req.end(JSON.stringify(body));
    });
  }
}
