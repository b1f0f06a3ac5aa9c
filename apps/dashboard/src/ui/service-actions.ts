import { html, nothing, type TemplateResult } from 'lit';
import type { ServiceAction, ServiceInfo } from '../model/types.js';

/** States from which each action makes sense (the API would answer the others anyway). */
const ENABLED: Record<ServiceAction, (state: string) => boolean> = {
  start: (state) => state !== 'running' && state !== 'starting' && state !== 'stopping',
  stop: (state) => state !== 'stopped' && state !== 'stopping',
  restart: (state) => state !== 'stopping',
};

/**
 * Start / Stop / Restart for one service; each button names the service for screen readers.
 * The aggregator gets none: stopping it from here would take this page down with it.
 */
export function serviceActions(
  host: HTMLElement,
  service: ServiceInfo,
  busy: boolean,
): TemplateResult | typeof nothing {
  if (service.type === 'Aggregator') {
    return html`<span class="muted">serves this page</span>`;
  }
  const button = (action: ServiceAction, label: string): TemplateResult => html`
    <button
      type="button"
      aria-label="${label} ${service.name}"
      ?disabled=${busy || !ENABLED[action](service.state)}
      @click=${() => {
        host.dispatchEvent(
          new CustomEvent('service-action', {
            detail: { name: service.name, action },
            bubbles: true,
            composed: true,
          }),
        );
      }}
    >
      ${label}
    </button>
  `;
  return html`<span class="actions" aria-busy=${busy ? 'true' : 'false'}
    >${button('start', 'Start')} ${button('stop', 'Stop')} ${button('restart', 'Restart')}</span
  >`;
}

/** The state as a badge: colour and words. */
export function stateBadge(state: string): TemplateResult {
  return html`<span class="badge state-${state}" data-state=${state}
    >${state.replace(/_/g, ' ')}</span
  >`;
}

export function healthBadge(health: string): TemplateResult {
  return html`<span class="badge health-${health}">${health}</span>`;
}
