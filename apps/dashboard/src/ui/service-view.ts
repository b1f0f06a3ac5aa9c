import { css, html, LitElement, nothing } from 'lit';
import type { ToolCatalog } from '../api/tool-catalog.js';
import { formatClock, formatDuration } from '../model/format.js';
import { CORE_SOURCE, toolOwners } from '../model/tool-owners.js';
import { type Denial, DENIED_META_KEY, type ServiceInfo, type ToolInfo } from '../model/types.js';
import type { ActionNotice } from './corral-app.js';
import { healthBadge, serviceActions, stateBadge } from './service-actions.js';
import { baseStyles } from './styles.js';
import type { ToolCallForm } from './tool-call-form.js';
import './tool-call-form.js';

/** One service: status, redacted metadata, recent stderr, its tools and a form to call one. */
export class ServiceView extends LitElement {
  static override properties = {
    name: { attribute: false },
    service: { attribute: false },
    services: { attribute: false },
    loaded: { attribute: false },
    tools: { attribute: false },
    toolsError: { attribute: false },
    catalog: { attribute: false },
    now: { attribute: false },
    busy: { attribute: false },
    notice: { attribute: false },
  };
  static override styles = [
    baseStyles,
    css`
      .title {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        flex-wrap: wrap;
      }
      .title h2 {
        margin: 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.3rem 1.25rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 0 2rem;
      }
      @media (max-width: 70rem) {
        .columns {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      ul.tools {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.tools > li {
        display: flex;
        align-items: flex-start;
        gap: 0.75rem;
        border-bottom: 1px solid #d8d8de;
        padding: 0.35rem 0;
      }
      ul.tools details {
        flex: 1;
        min-width: 0;
      }
      .call {
        position: sticky;
        top: 0.5rem;
        align-self: start;
      }
      summary {
        cursor: pointer;
      }
      summary code {
        font-weight: 600;
      }
    `,
  ];

  declare name: string;
  declare service: ServiceInfo | undefined;
  declare services: readonly ServiceInfo[];
  declare loaded: boolean;
  declare tools: readonly ToolInfo[];
  declare toolsError: string | undefined;
  declare catalog: ToolCatalog | undefined;
  declare now: number;
  declare busy: boolean;
  declare notice: ActionNotice | undefined;

  constructor() {
    super();
    this.name = '';
    this.service = undefined;
    this.services = [];
    this.loaded = false;
    this.tools = [];
    this.toolsError = undefined;
    this.catalog = undefined;
    this.now = Date.now();
    this.busy = false;
    this.notice = undefined;
  }

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render(): unknown {
    const service = this.service;
    if (!service) {
      return html`<h2 tabindex="-1">${this.name}</h2>
        <p>${this.loaded ? html`No service is named <code>${this.name}</code>.` : 'Loading…'}</p>
        <p><a href="#/">Back to the fleet</a></p>`;
    }
    const { stderr, ...data } = service.data ?? {};
    const stderrLines = Array.isArray(stderr) ? stderr.map(String) : undefined;
    return html`
      <p><a href="#/">← Fleet</a></p>
      <div class="title">
        <h2 tabindex="-1">${service.name}</h2>
        ${stateBadge(service.state)} ${healthBadge(service.health)}
        ${serviceActions(this, service, this.busy)}
      </div>
      <div role="status" aria-live="polite">
        ${
          this.notice?.service === service.name
            ? html`<p class="notice ${this.notice.kind}" data-notice>${this.notice.text}</p>`
            : nothing
        }
      </div>
      <div class="columns">
        <section aria-labelledby="status-heading">
          <h3 id="status-heading">Status</h3>
          ${this.renderStatus(service)}
          <h3 id="data-heading">Status data</h3>
          <p class="muted">Reported by the service; secrets are redacted (<code>***</code>).</p>
          <pre aria-labelledby="data-heading" tabindex="0">${JSON.stringify(data, null, 2)}</pre>
        </section>
        <section aria-labelledby="stderr-heading">
          <h3 id="stderr-heading">Recent stderr</h3>
          ${
            stderrLines === undefined
              ? html`<p class="muted">This service keeps no stderr.</p>`
              : stderrLines.length === 0
                ? html`<p class="muted">Nothing on stderr yet.</p>`
                : html`<pre aria-labelledby="stderr-heading" tabindex="0" data-stderr>
${stderrLines.join('\n')}</pre>`
          }
        </section>
      </div>
      ${this.renderTools(service)}
    `;
  }

  private renderStatus(service: ServiceInfo): unknown {
    const row = (label: string, value: unknown): unknown =>
      html`<dt>${label}</dt>
        <dd>${value}</dd>`;
    return html`<dl>
      ${row('Type', service.type)}
      ${row(
        service.state === 'running' ? 'Uptime' : 'In this state for',
        service.since === undefined ? '—' : formatDuration(this.now - service.since),
      )}
      ${row('Restarts', service.restarts)} ${row('Failures in a row', service.consecutiveFailures)}
      ${row('Tools', service.tools ?? '—')}
      ${row('Depends on', service.dependencies.length ? service.dependencies.join(', ') : '—')}
      ${row('Starts with the fleet', service.autoStart ? 'yes' : 'no')}
      ${service.stopReason ? row('Stop reason', service.stopReason) : nothing}
      ${service.nextRetryAt ? row('Next retry', formatClock(service.nextRetryAt)) : nothing}
      ${row(
        'Last error',
        service.lastError
          ? html`<code>${service.lastError.code}</code>: ${service.lastError.message}`
          : '—',
      )}
    </dl>`;
  }

  private renderTools(service: ServiceInfo): unknown {
    const source = service.type === 'Aggregator' ? CORE_SOURCE : service.name;
    const owners = toolOwners(
      this.tools.map((t) => t.name),
      this.services,
    );
    const tools = this.tools.filter((t) => owners.get(t.name) === source);
    const aggregator = this.services.find((s) => s.type === 'Aggregator');
    const yolo = aggregator?.data?.['yolo'] === true;
    return html`<section aria-labelledby="tools-heading">
      <h3 id="tools-heading">
        ${service.type === 'Aggregator' ? 'Management tools (core_*)' : 'Tools'}
        <span class="muted">(${tools.length})</span>
      </h3>
      ${
        yolo
          ? html`<p class="notice error">
              yolo is on: the denylist is lifted, destructive tools can be called.
            </p>`
          : nothing
      }
      ${this.toolsError ? html`<p class="notice error">${this.toolsError}</p>` : nothing}
      ${
        tools.length === 0
          ? html`<p class="muted">
              ${
                service.state === 'running'
                  ? 'It offers no tools.'
                  : 'Its tools are listed while it runs.'
              }
            </p>`
          : html`<div class="columns">
              <ul class="tools" aria-label="Tools of ${service.name}">
                ${tools.map((tool) => this.renderTool(tool))}
              </ul>
              <section class="call" aria-labelledby="call-heading">
                <h3 id="call-heading">Call a tool</h3>
                <corral-tool-call-form .tools=${tools} .catalog=${this.catalog}>
                </corral-tool-call-form>
              </section>
            </div>`
      }
    </section>`;
  }

  private renderTool(tool: ToolInfo): unknown {
    const denial = denialOf(tool);
    return html`<li data-tool=${tool.name}>
      <details>
        <summary>
          <code>${tool.name}</code>
          ${
            denial
              ? html`<span class="badge blocked" data-blocked
                  >blocked: matches '${denial.entry}'
                  (${denial.from === 'default' ? 'default list' : 'config'})</span
                >`
              : nothing
          }
        </summary>
        ${tool.description ? html`<p>${tool.description}</p>` : nothing}
        ${
          denial
            ? html`<p class="muted">
                Calls are refused. To allow it, add <code>${tool.name}</code> to the aggregator's
                <code>denylist.allow</code>, or run <code>corral serve --yolo</code>.
              </p>`
            : nothing
        }
        <p class="muted">Input schema:</p>
        <pre tabindex="0">${JSON.stringify(tool.inputSchema, null, 2)}</pre>
      </details>
      <button
        type="button"
        aria-label="Try ${tool.name}"
        @click=${() => {
          this.tryTool(tool.name);
        }}
      >
        Try it
      </button>
    </li>`;
  }

  private tryTool(name: string): void {
    this.renderRoot.querySelector<ToolCallForm>('corral-tool-call-form')?.choose(name);
  }
}

function denialOf(tool: ToolInfo): Denial | undefined {
  const value = tool._meta?.[DENIED_META_KEY];
  if (typeof value !== 'object' || value === null) return undefined;
  const { entry, from } = value as { entry?: unknown; from?: unknown };
  return typeof entry === 'string'
    ? { entry, from: typeof from === 'string' ? from : '' }
    : undefined;
}

customElements.define('corral-service-view', ServiceView);

declare global {
  interface HTMLElementTagNameMap {
    'corral-service-view': ServiceView;
  }
}
