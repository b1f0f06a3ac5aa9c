/** Where the token is kept: this tab's session only, never localStorage, never the URL. */
const STORAGE_KEY = 'corral.gatewayToken';

/** Why the page asks for the token: none was sent yet, or the one sent was refused. */
export type TokenPrompt = 'needed' | 'refused';

/** The part of `Storage` the token needs (`sessionStorage` in the page, a map in tests). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Requests that carry the token as it was when made (`sent`) and report a 401 against it. */
export interface TokenSender {
  readonly sent: string | undefined;
  readonly fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

/**
 * The gateway's bearer token (`aggregator.token`), when it has one. Every request reads its
 * headers from here and reports a 401 back, so the page knows to ask. Fires `change` when the
 * token or the prompt changes.
 */
export class GatewayToken extends EventTarget {
  private value: string | undefined;
  /** Why the page should ask for the token now, or undefined when it need not. */
  prompt: TokenPrompt | undefined;

  constructor(private readonly storage: TokenStorage | undefined) {
    super();
    this.value = nonEmpty(storage?.getItem(STORAGE_KEY) ?? undefined);
  }

  get token(): string | undefined {
    return this.value;
  }

  /** `Authorization: Bearer <token>` once a token is set; nothing before. */
  headers(): Record<string, string> {
    return this.value === undefined ? {} : { authorization: `Bearer ${this.value}` };
  }

  /**
   * The one way the page sends a request: with the token as it is now, and a 401 reported back
   * (`refused`) against that token, so the page knows to ask.
   */
  sender(): TokenSender {
    const sent = this.value;
    const authorization = this.headers();
    return {
      sent,
      fetch: async (input, init = {}) => {
        const headers = new Headers(init.headers);
        for (const [name, value] of Object.entries(authorization)) headers.set(name, value);
        const response = await fetch(input, { ...init, headers });
        if (response.status === 401) this.refused(sent);
        return response;
      },
    };
  }

  /** Uses `token` from now on (kept for this tab only). */
  set(token: string): void {
    const value = nonEmpty(token.trim());
    if (value === undefined) return;
    this.value = value;
    this.storage?.setItem(STORAGE_KEY, value);
    this.prompt = undefined;
    this.dispatchEvent(new Event('change'));
  }

  /**
   * A request sent with `sent` (the token it carried, if any) was answered 401. A request made
   * with an older token than the current one says nothing about the current one: ignored.
   */
  refused(sent: string | undefined): void {
    if (sent !== this.value) return;
    const prompt: TokenPrompt = sent === undefined ? 'needed' : 'refused';
    if (sent !== undefined) {
      this.value = undefined;
      this.storage?.removeItem(STORAGE_KEY);
    }
    if (this.prompt === prompt) return;
    this.prompt = prompt;
    this.dispatchEvent(new Event('change'));
  }
}

function nonEmpty(text: string | undefined | null): string | undefined {
  return text === undefined || text === null || text === '' ? undefined : text;
}
