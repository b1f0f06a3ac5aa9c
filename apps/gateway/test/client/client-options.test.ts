import { describe, expect, it } from 'vitest';
import { GatewayClientError, resolveClientOptions } from '../../src/client/index.js';

describe('resolveClientOptions', () => {
  it('takes --url, else --host/--port, else CORRAL_URL, else http://127.0.0.1:8090', () => {
    const env = { CORRAL_URL: 'http://10.0.0.5:9000' };
    expect(resolveClientOptions({ url: 'http://127.0.0.1:9999' }, env).baseUrl).toBe(
      'http://127.0.0.1:9999',
    );
    expect(resolveClientOptions({ host: 'localhost', port: '8091' }, env).baseUrl).toBe(
      'http://localhost:8091',
    );
    expect(resolveClientOptions({ port: 8092 }, env).baseUrl).toBe('http://127.0.0.1:8092');
    expect(resolveClientOptions({ host: '::1' }, env).baseUrl).toBe('http://[::1]:8090');
    expect(resolveClientOptions({}, env).baseUrl).toBe('http://10.0.0.5:9000');
    expect(resolveClientOptions({}, {}).baseUrl).toBe('http://127.0.0.1:8090');
  });

  it('accepts the /mcp URL `corral serve` prints, a trailing slash, or no scheme', () => {
    expect(resolveClientOptions({ url: 'http://127.0.0.1:8090/mcp' }, {}).baseUrl).toBe(
      'http://127.0.0.1:8090',
    );
    expect(resolveClientOptions({ url: 'http://127.0.0.1:8090/' }, {}).baseUrl).toBe(
      'http://127.0.0.1:8090',
    );
    expect(resolveClientOptions({}, { CORRAL_URL: '127.0.0.1:8095' }).baseUrl).toBe(
      'http://127.0.0.1:8095',
    );
  });

  it('takes the token from --token, else CORRAL_TOKEN', () => {
    expect(resolveClientOptions({ token: 'a' }, { CORRAL_TOKEN: 'b' }).token).toBe('a');
    expect(resolveClientOptions({}, { CORRAL_TOKEN: 'b' }).token).toBe('b');
    expect(resolveClientOptions({}, { CORRAL_TOKEN: '' })).not.toHaveProperty('token');
  });

  it('rejects flags that cannot work as bad usage (exit 2), saying what to give', () => {
    const attempt = (flags: Parameters<typeof resolveClientOptions>[0], env = {}): unknown => {
      try {
        resolveClientOptions(flags, env);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const [flags, env, says] of [
      [
        { port: 'eighty' },
        {},
        "--port must be a TCP port number between 1 and 65535, e.g. 8090 (got 'eighty')",
      ],
      [{ port: 70000 }, {}, '--port must be a TCP port number'],
      [{ url: 'http://x:1', port: 2 }, {}, 'give either --url or --host/--port, not both'],
      [{ url: 'ftp://x' }, {}, "--url 'ftp://x' must be an http:// or https:// URL"],
      [{}, { CORRAL_URL: 'http://[nope' }, "CORRAL_URL 'http://[nope' is not a URL"],
    ] as const) {
      const error = attempt(flags, env);
      expect(error).toBeInstanceOf(GatewayClientError);
      expect(error).toMatchObject({ kind: 'invalid_options', exitCode: 2 });
      expect((error as Error).message).toContain(says);
    }
  });
});
