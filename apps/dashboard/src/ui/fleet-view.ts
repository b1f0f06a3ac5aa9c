import { html, LitElement, nothing } from 'lit';
import { formatDuration } from '../model/format.js';
import type { ServiceInfo } from '../model/types.js';
import type { ActionNotice } from './corral-app.js';
import { healthBadge, serviceActions, stateBadge } from './service-actions.js';
import { baseStyles } from './styles.js';
import './dependency-graph.js';

/** Every service at a glance, its dependency graph, and start/stop/restart. */
export class FleetView extends LitElement {
  static override properties = {
    services: { attribute: false },
    loaded: { attribute: false },
    now: { attribute: false },
    busy: { attribute: false },
    notice: { attribute: false },
  };
  static override styles = [baseStyles];

  declare services: readonly ServiceInfo[];
  declare loaded: boolean;
  declare now: number;
  declare busy: ReadonlySet<string>;
  declare notice: ActionNotice | undefined;

  constructor() {
    super();
    this.services = [];
    this.loaded = false;
    this.now = Date.now();
    this.busy = new Set();
    this.notice = undefined;
  }

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render(): unknown {
    const running = this.services.filter((s) => s.state === 'running').length;
    return html`
      <h2 tabindex="-1">Fleet</h2>
      <p class="muted">
        ${
          this.loaded
            ? `${String(running)} of ${String(this.services.length)} services running.`
            : 'Loading the fleet…'
        }
      </p>
      <div role="status" aria-live="polite">
        ${
          this.notice
            ? html`<p class="notice ${this.notice.kind}" data-notice>${this.notice.text}</p>`
            : nothing
        }
      </div>
      <section aria-labelledby="services-heading">
        <h3 id="services-heading">Services</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Type</th>
              <th scope="col">State</th>
              <th scope="col">Health</th>
              <th scope="col">Uptime</th>
              <th scope="col">Restarts</th>
              <th scope="col">Tools</th>
              <th scope="col">Depends on</th>
              <th scope="col">Last error</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            ${this.services.map((service) => this.renderRow(service))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="graph-heading">
        <h3 id="graph-heading">Dependencies</h3>
        <corral-dependency-graph .services=${this.services}></corral-dependency-graph>
      </section>
    `;
  }

  private renderRow(service: ServiceInfo): unknown {
    const uptime =
      service.state === 'running' && service.since !== undefined
        ? formatDuration(this.now - service.since)
        : '—';
    return html`<tr data-service=${service.name}>
      <th scope="row">
        <a href="#/services/${encodeURIComponent(service.name)}">${service.name}</a>
      </th>
      <td>${service.type}</td>
      <td>${stateBadge(service.state)}</td>
      <td>${healthBadge(service.health)}</td>
      <td>${uptime}</td>
      <td>${service.restarts}</td>
      <td>${service.tools ?? '—'}</td>
      <td>${service.dependencies.length > 0 ? service.dependencies.join(', ') : '—'}</td>
      <td>
        ${
          service.lastError
            ? html`<code>${service.lastError.code}</code>: ${service.lastError.message}`
            : '—'
        }
      </td>
      <td>${serviceActions(this, service, this.busy.has(service.name))}</td>
    </tr>`;
  }
}

customElements.define('corral-fleet-view', FleetView);

declare global {
  interface HTMLElementTagNameMap {
    'corral-fleet-view': FleetView;
  }
}
