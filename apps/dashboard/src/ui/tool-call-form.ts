import { css, html, LitElement, nothing } from 'lit';
import type { ToolCallOutcome, ToolCatalog } from '../api/tool-catalog.js';
import { argumentsTemplate, parseArguments } from '../model/schema-template.js';
import { DENIED_META_KEY, type ToolInfo } from '../model/types.js';
import { baseStyles } from './styles.js';

/**
 * Calls one tool through the gateway's MCP endpoint, as an agent would: pick the tool, edit its
 * JSON arguments (pre-filled from its input schema), call, read the result or the error.
 */
export class ToolCallForm extends LitElement {
  static override properties = {
    tools: { attribute: false },
    catalog: { attribute: false },
    selected: { state: true },
    argsText: { state: true },
    pending: { state: true },
    outcome: { state: true },
    problem: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: 0.6rem;
        max-width: 60rem;
      }
      label {
        font-weight: 600;
      }
      select,
      textarea {
        font:
          13px ui-monospace,
          'SFMono-Regular',
          Menlo,
          Consolas,
          monospace;
        padding: 0.35rem;
        border: 1px solid #5c5c66;
        border-radius: 4px;
      }
      textarea {
        min-height: 7rem;
      }
      .result img {
        max-width: 24rem;
      }
    `,
  ];

  declare tools: readonly ToolInfo[];
  declare catalog: ToolCatalog | undefined;
  declare selected: string;
  declare argsText: string;
  declare pending: boolean;
  declare outcome: (ToolCallOutcome & { tool: string }) | undefined;
  declare problem: string | undefined;

  constructor() {
    super();
    this.tools = [];
    this.catalog = undefined;
    this.selected = '';
    this.argsText = '{}';
    this.pending = false;
    this.outcome = undefined;
    this.problem = undefined;
  }

  /** Selects `name` (from a tool's "Try it" button) and moves focus to its arguments. */
  choose(name: string): void {
    this.select(name);
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    });
  }

  protected override willUpdate(): void {
    if (this.tools.length > 0 && !this.tools.some((tool) => tool.name === this.selected)) {
      const first = this.tools[0];
      if (first) this.select(first.name);
    }
  }

  override render(): unknown {
    if (this.tools.length === 0) return html`<p class="muted">No tools to call.</p>`;
    const tool = this.tools.find((t) => t.name === this.selected);
    const denied = tool?._meta?.[DENIED_META_KEY] !== undefined;
    return html`
      <form @submit=${this.onSubmit} aria-describedby="call-help">
        <p id="call-help" class="muted">
          Calls go through the gateway's MCP endpoint, exactly as an agent's would.
        </p>
        <label for="tool">Tool</label>
        <select id="tool" .value=${this.selected} @change=${this.onSelect}>
          ${this.tools.map(
            (t) =>
              html`<option value=${t.name} ?selected=${t.name === this.selected}>
                ${t.name}${t._meta?.[DENIED_META_KEY] !== undefined ? ' (blocked)' : ''}
              </option>`,
          )}
        </select>
        <label for="arguments">Arguments (JSON object)</label>
        <textarea
          id="arguments"
          spellcheck="false"
          .value=${this.argsText}
          @input=${(event: Event) => {
            this.argsText = (event.target as HTMLTextAreaElement).value;
          }}
        ></textarea>
        ${
          denied
            ? html`<p class="notice error">
                This tool is blocked by the denylist: the gateway will refuse the call and say how
                to allow it.
              </p>`
            : nothing
        }
        <div>
          <button type="submit" class="primary" ?disabled=${this.pending}>
            ${this.pending ? 'Calling…' : 'Call tool'}
          </button>
        </div>
      </form>
      <section class="result" aria-label="Tool result" aria-live="polite" aria-busy=${this.pending}>
        ${this.problem ? html`<p class="notice error" role="alert">${this.problem}</p>` : nothing}
        ${this.outcome ? this.renderOutcome(this.outcome) : nothing}
      </section>
    `;
  }

  private renderOutcome(outcome: ToolCallOutcome & { tool: string }): unknown {
    return html`
      <h4 class=${outcome.isError ? 'notice error' : 'notice ok'} data-outcome>
        ${outcome.isError ? `${outcome.tool} returned an error` : `Result of ${outcome.tool}`}
      </h4>
      ${outcome.content.map((item) => {
        if (item['type'] === 'text' && typeof item['text'] === 'string') {
          return html`<pre data-result>${item['text']}</pre>`;
        }
        if (
          item['type'] === 'image' &&
          typeof item['data'] === 'string' &&
          typeof item['mimeType'] === 'string'
        ) {
          return html`<img
            src="data:${item['mimeType']};base64,${item['data']}"
            alt="Image returned by ${outcome.tool}"
          />`;
        }
        return html`<pre data-result>${JSON.stringify(item, null, 2)}</pre>`;
      })}
      ${
        outcome.structuredContent !== undefined
          ? html`<p class="muted">Structured content:</p>
              <pre>${JSON.stringify(outcome.structuredContent, null, 2)}</pre>`
          : nothing
      }
    `;
  }

  private select(name: string): void {
    this.selected = name;
    const tool = this.tools.find((t) => t.name === name);
    this.argsText = JSON.stringify(tool ? argumentsTemplate(tool.inputSchema) : {}, null, 2);
    this.outcome = undefined;
    this.problem = undefined;
  }

  private readonly onSelect = (event: Event): void => {
    this.select((event.target as HTMLSelectElement).value);
  };

  private readonly onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const parsed = parseArguments(this.argsText);
    if (!parsed.ok) {
      this.problem = parsed.message;
      this.outcome = undefined;
      return;
    }
    if (!this.catalog) {
      this.problem = 'Not connected to the MCP endpoint yet.';
      return;
    }
    const tool = this.selected;
    this.pending = true;
    this.problem = undefined;
    this.outcome = undefined;
    try {
      this.outcome = { ...(await this.catalog.call(tool, parsed.value)), tool };
    } catch (error) {
      this.problem = `Calling ${tool} failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.pending = false;
    }
  };
}

customElements.define('corral-tool-call-form', ToolCallForm);

declare global {
  interface HTMLElementTagNameMap {
    'corral-tool-call-form': ToolCallForm;
  }
}
