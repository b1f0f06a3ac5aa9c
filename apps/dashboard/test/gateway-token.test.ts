import { describe, expect, it } from 'vitest';
import { GatewayToken, type TokenStorage } from '../src/api/gateway-token.js';

function memoryStorage(): TokenStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, value),
    removeItem: (key) => items.delete(key),
  };
}

describe('the gateway token', () => {
  it('sends nothing until a 401 asks for it, then the token on every request', () => {
    const storage = memoryStorage();
    const token = new GatewayToken(storage);
    expect(token.headers()).toEqual({});
    expect(token.prompt).toBeUndefined();
    token.refused(undefined);
    expect(token.prompt).toBe('needed');
    token.set('  secret-token-0123456789 ');
    expect(token.prompt).toBeUndefined();
    expect(token.headers()).toEqual({ authorization: 'Bearer secret-token-0123456789' });
    // Kept for the tab (sessionStorage in the page): a reload of the tab need not ask again.
    expect(new GatewayToken(storage).token).toBe('secret-token-0123456789');
  });

  it('forgets a refused token and asks again, saying it was refused', () => {
    const storage = memoryStorage();
    const token = new GatewayToken(storage);
    token.set('wrong-token-0123456789');
    let changes = 0;
    token.addEventListener('change', () => (changes += 1));
    token.refused('wrong-token-0123456789');
    expect(token.prompt).toBe('refused');
    expect(token.token).toBeUndefined();
    expect(storage.items.size).toBe(0);
    expect(changes).toBe(1);
  });

  it('ignores a 401 to a request made before the current token was set', () => {
    const token = new GatewayToken(memoryStorage());
    token.set('new-token-0123456789');
    token.refused(undefined);
    token.refused('old-token-0123456789');
    expect(token.prompt).toBeUndefined();
    expect(token.token).toBe('new-token-0123456789');
  });
});
