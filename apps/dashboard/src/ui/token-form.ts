import { css, html, LitElement, nothing } from 'lit';
import type { TokenPrompt } from '../api/gateway-token.js';
import { baseStyles } from './styles.js';

/**
 * Asks for the gateway's bearer token when a request got 401. Fires `token-submit` with the
 * token; the app keeps it for this tab only and sends it on every request.
 */
export class TokenForm extends LitElement {
  static override properties = {
    prompt: { attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: 0.6rem;
        max-width: 32rem;
      }
      label {
        font-weight: 600;
      }
      input {
        font: inherit;
        padding: 0.35rem;
        border: 1px solid #5c5c66;
        border-radius: 4px;
      }
      button {
        justify-self: start;
      }
    `,
  ];

  declare prompt: TokenPrompt;

  constructor() {
    super();
    this.prompt = 'needed';
  }

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  override render(): unknown {
    return html`
      <h2 tabindex="-1">Gateway token</h2>
      <p>Corral needs the gateway's token (aggregator.token).</p>
      ${
        this.prompt === 'refused'
          ? html`<p class="notice error" role="alert" data-token-refused>
              The gateway refused that token. Check <code>aggregator.token</code> in the gateway's
              config and enter it again.
            </p>`
          : nothing
      }
      <form @submit=${this.onSubmit}>
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          required
          spellcheck="false"
        />
        <button type="submit">Use token</button>
      </form>
      <p>It is kept for this browser tab only and sent as <code>Authorization: Bearer</code>.</p>
    `;
  }

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input');
    const token = input?.value.trim() ?? '';
    if (token === '') return;
    if (input) input.value = '';
    this.dispatchEvent(
      new CustomEvent('token-submit', { detail: token, bubbles: true, composed: true }),
    );
  };
}

customElements.define('corral-token-form', TokenForm);

declare global {
  interface HTMLElementTagNameMap {
    'corral-token-form': TokenForm;
  }
}
