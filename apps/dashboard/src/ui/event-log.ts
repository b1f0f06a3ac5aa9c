import { css, html, LitElement, nothing } from 'lit';
import type { LogEntry } from '../model/fleet-store.js';
import { formatClock } from '../model/format.js';
import { SERVICE_STATES } from '../model/types.js';
import { stateBadge } from './service-actions.js';
import { baseStyles } from './styles.js';

const SHOWN = 500;

/** The live event stream, newest first, filtered by service and by the state entered. */
export class EventLog extends LitElement {
  static override properties = {
    events: { attribute: false },
    serviceNames: { attribute: false },
    service: { state: true },
    state: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      .filters {
        display: flex;
        gap: 1.5rem;
        align-items: end;
        flex-wrap: wrap;
        margin-bottom: 0.75rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-weight: 600;
      }
      select {
        font: inherit;
        padding: 0.25rem;
      }
      td.seq {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  declare events: readonly LogEntry[];
  declare serviceNames: readonly string[];
  declare service: string;
  declare state: string;

  constructor() {
    super();
    this.events = [];
    this.serviceNames = [];
    this.service = '';
    this.state = '';
  }

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render(): unknown {
    const names = [...new Set([...this.serviceNames, ...this.stateEvents().map((e) => e.name)])];
    const shown = this.events
      .filter(
        (entry) =>
          entry.kind === 'overflow' ||
          ((this.service === '' || entry.name === this.service) &&
            (this.state === '' || entry.newState === this.state)),
      )
      .slice(-SHOWN)
      .reverse();
    return html`
      <h2 tabindex="-1">Event log</h2>
      <p class="muted">
        State changes as they happen (the gateway's recent history first). Newest at the top.
      </p>
      <div class="filters" role="group" aria-label="Filters">
        <label
          >Service
          <select
            id="filter-service"
            .value=${this.service}
            @change=${(e: Event) => {
              this.service = (e.target as HTMLSelectElement).value;
            }}
          >
            <option value="">All services</option>
            ${names.map(
              (n) => html`<option value=${n} ?selected=${n === this.service}>${n}</option>`,
            )}
          </select>
        </label>
        <label
          >New state
          <select
            id="filter-state"
            .value=${this.state}
            @change=${(e: Event) => {
              this.state = (e.target as HTMLSelectElement).value;
            }}
          >
            <option value="">Any state</option>
            ${SERVICE_STATES.map(
              (s) =>
                html`<option value=${s} ?selected=${s === this.state}>
                  ${s.replace(/_/g, ' ')}
                </option>`,
            )}
          </select>
        </label>
        <p class="muted" aria-live="polite">
          ${shown.length} of ${this.events.length} events shown
        </p>
      </div>
      <table>
        <caption class="visually-hidden">
          State changes, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Service</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Health</th>
            <th scope="col">Reason</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((entry) =>
            entry.kind === 'overflow'
              ? html`<tr>
                  <td></td>
                  <td>${formatClock(entry.timestamp)}</td>
                  <td colspan="6" class="notice error">
                    ${entry.dropped} events were dropped; the fleet view was read again.
                  </td>
                </tr>`
              : html`<tr data-event=${entry.seq} data-service=${entry.name}>
                  <td class="seq">${entry.seq}</td>
                  <td>${formatClock(entry.timestamp)}</td>
                  <td><a href="#/services/${encodeURIComponent(entry.name)}">${entry.name}</a></td>
                  <td>${stateBadge(entry.oldState)}</td>
                  <td>${stateBadge(entry.newState)}</td>
                  <td>${entry.health}</td>
                  <td>${entry.reason ?? ''}</td>
                  <td>
                    ${
                      entry.error
                        ? html`<code>${entry.error.code}</code>: ${entry.error.message}`
                        : nothing
                    }
                  </td>
                </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private stateEvents(): (LogEntry & { kind: 'state' })[] {
    return this.events.filter((e): e is LogEntry & { kind: 'state' } => e.kind === 'state');
  }
}

customElements.define('corral-event-log', EventLog);

declare global {
  interface HTMLElementTagNameMap {
    'corral-event-log': EventLog;
  }
}
