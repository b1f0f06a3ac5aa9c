import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { EventFeed } from '../api/event-feed.js';
import { GatewayToken } from '../api/gateway-token.js';
import { ApiError, ManagementApi } from '../api/management-api.js';
import { ToolCatalog } from '../api/tool-catalog.js';
import { FleetStore } from '../model/fleet-store.js';
import type { ServiceAction } from '../model/types.js';
import { baseStyles } from './styles.js';
import './event-log.js';
import './fleet-view.js';
import './service-view.js';
import './token-form.js';

/** Where the page is: hash routes, so the gateway needs no fallback for deep links. */
type Route = { view: 'fleet' } | { view: 'events' } | { view: 'service'; name: string };

/** What the last start/stop/restart did. */
export interface ActionNotice {
  readonly kind: 'ok' | 'error';
  readonly text: string;
  /** The service it is about. */
  readonly service: string;
}

export interface ServiceActionDetail {
  readonly name: string;
  readonly action: ServiceAction;
}

/** Views that can take focus after navigation (their heading). */
interface Focusable extends LitElement {
  focusHeading(): void;
}

const RESYNC_DELAY_MS = 150;

/**
 * The dashboard: header with the stream's status, navigation, and one of three views. Owns the
 * store, the event feed and the MCP tool catalog; views only render what they are given and
 * ask for actions by event.
 */
export class CorralApp extends LitElement {
  static override properties = {
    route: { state: true },
    now: { state: true },
    busy: { state: true },
    notice: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        min-height: 100vh;
        background: #fbfbfd;
      }
      .skip {
        position: absolute;
        left: -999px;
        top: 0;
        background: #fff;
        padding: 0.5rem;
      }
      .skip:focus {
        left: 0.5rem;
      }
      header {
        display: flex;
        align-items: center;
        gap: 1.5rem;
        flex-wrap: wrap;
        padding: 0.6rem 1.5rem;
        background: #1f2430;
        color: #fff;
      }
      header h1 {
        font-size: 1.2rem;
        margin: 0;
      }
      nav ul {
        display: flex;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        color: #fff;
        text-decoration: none;
        padding: 0.3rem 0.7rem;
        border-radius: 4px;
      }
      nav a[aria-current='page'] {
        background: #3b4356;
        text-decoration: underline;
        text-underline-offset: 4px;
      }
      nav a:focus-visible {
        outline-color: #9ec1ff;
      }
      .connection {
        margin-left: auto;
        font-size: 0.9rem;
      }
      .dot {
        display: inline-block;
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        margin-right: 0.35rem;
        background: #f5c542;
      }
      .dot.live {
        background: #3ddc84;
      }
      main {
        max-width: 90rem;
        margin: 0 auto;
        padding: 1rem 1.5rem 3rem;
      }
    `,
  ];

  declare route: Route;
  declare now: number;
  declare busy: ReadonlySet<string>;
  declare notice: ActionNotice | undefined;

  private readonly base = new URL('/', window.location.href);
  readonly store = new FleetStore();
  /** The gateway's bearer token, kept in this tab's sessionStorage once entered. */
  private readonly token = new GatewayToken(sessionStorage);
  private readonly api = new ManagementApi(this.base, this.token);
  private readonly feed = new EventFeed({
    url: this.api.eventsUrl(),
    store: this.store,
    token: this.token,
    resync: () => {
      this.scheduleResync();
    },
  });
  private catalog: ToolCatalog | undefined;
  private resyncTimer: ReturnType<typeof setTimeout> | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;
  private readonly onStoreChange = (): void => {
    this.requestUpdate();
  };
  private readonly onCatalogChange = (): void => {
    this.requestUpdate();
  };
  /** A 401 shows the token form; a new token gets a new MCP session and a fresh read. */
  private readonly onTokenChange = (): void => {
    this.requestUpdate();
    if (this.token.prompt !== undefined) return;
    this.dropCatalog();
    void this.resync();
  };
  private readonly onHashChange = (): void => {
    this.route = parseRoute(window.location.hash);
  };
  private readonly onPageHide = (): void => {
    void this.catalog?.close();
  };

  constructor() {
    super();
    this.route = parseRoute(window.location.hash);
    this.now = Date.now();
    this.busy = new Set();
    this.notice = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.store.addEventListener('change', this.onStoreChange);
    this.token.addEventListener('change', this.onTokenChange);
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener('pagehide', this.onPageHide);
    this.clock = setInterval(() => {
      this.now = Date.now();
    }, 1000);
    this.feed.start();
    void this.resync();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.store.removeEventListener('change', this.onStoreChange);
    this.token.removeEventListener('change', this.onTokenChange);
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener('pagehide', this.onPageHide);
    clearInterval(this.clock);
    this.feed.stop();
    void this.catalog?.close();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('route') && changed.get('route') !== undefined) {
      // Move focus to the new view's heading once it has rendered, as a page load would.
      const view = this.renderRoot.querySelector('main > *');
      if (view instanceof LitElement && 'focusHeading' in view) {
        void view.updateComplete.then(() => {
          (view as Focusable).focusHeading();
        });
      }
    }
  }

  override render(): unknown {
    const { route, store } = this;
    const live = store.connection === 'live';
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>Skip to content</a>
      <header>
        <h1>Corral</h1>
        <nav aria-label="Dashboard">
          <ul>
            <li>
              <a href="#/" aria-current=${route.view === 'fleet' ? 'page' : nothing}>Fleet</a>
            </li>
            <li>
              <a href="#/events" aria-current=${route.view === 'events' ? 'page' : nothing}
                >Event log</a
              >
            </li>
          </ul>
        </nav>
        <p class="connection" role="status" aria-live="polite">
          <span class="dot ${live ? 'live' : ''}" aria-hidden="true"></span>${
            live
              ? 'Live updates on'
              : store.connection === 'connecting'
                ? 'Connecting…'
                : 'Reconnecting…'
          }
        </p>
      </header>
      <main id="main" tabindex="-1">${this.renderView()}</main>
    `;
  }

  private renderView(): unknown {
    const { route, store } = this;
    if (this.token.prompt !== undefined) {
      return html`<corral-token-form
        .prompt=${this.token.prompt}
        @token-submit=${this.onTokenSubmit}
      ></corral-token-form>`;
    }
    if (store.loadError !== undefined && !store.loaded) {
      return html`<p class="notice error" role="alert">${store.loadError}</p>`;
    }
    switch (route.view) {
      case 'events':
        return html`<corral-event-log
          .events=${store.events}
          .serviceNames=${store.services.map((s) => s.name)}
        ></corral-event-log>`;
      case 'service':
        return html`<corral-service-view
          .name=${route.name}
          .service=${store.service(route.name)}
          .services=${store.services}
          .loaded=${store.loaded}
          .tools=${this.catalog?.tools ?? []}
          .toolsError=${this.catalog?.error}
          .catalog=${this.catalog}
          .now=${this.now}
          .busy=${this.busy.has(route.name)}
          .notice=${this.notice}
          @service-action=${this.onServiceAction}
        ></corral-service-view>`;
      default:
        return html`<corral-fleet-view
          .services=${store.services}
          .loaded=${store.loaded}
          .now=${this.now}
          .busy=${this.busy}
          .notice=${this.notice}
          @service-action=${this.onServiceAction}
        ></corral-fleet-view>`;
    }
  }

  private readonly onTokenSubmit = (event: CustomEvent<string>): void => {
    this.token.set(event.detail);
  };

  private dropCatalog(): void {
    const catalog = this.catalog;
    this.catalog = undefined;
    if (!catalog) return;
    catalog.removeEventListener('change', this.onCatalogChange);
    void catalog.close();
  }

  private readonly skipToMain = (event: Event): void => {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  };

  private readonly onServiceAction = async (
    event: CustomEvent<ServiceActionDetail>,
  ): Promise<void> => {
    const { name, action } = event.detail;
    this.busy = new Set([...this.busy, name]);
    this.notice = { kind: 'ok', text: `${verb(action)} ${name}…`, service: name };
    try {
      const result = await this.api.act(name, action);
      this.notice = { kind: 'ok', text: result.message, service: name };
      this.store.setService(result.status);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      this.notice = {
        kind: 'error',
        text: `Could not ${action} ${name}: ${message}`,
        service: name,
      };
    } finally {
      const next = new Set(this.busy);
      next.delete(name);
      this.busy = next;
      this.scheduleResync();
    }
  };

  private scheduleResync(): void {
    clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => {
      void this.resync();
    }, RESYNC_DELAY_MS);
  }

  private async resync(): Promise<void> {
    try {
      this.store.setSnapshot(await this.api.services());
    } catch (error) {
      this.store.setLoadError(
        `Could not read the fleet: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    if (!this.catalog) {
      const catalog = new ToolCatalog(this.mcpEndpoint(), this.token);
      this.catalog = catalog;
      catalog.addEventListener('change', this.onCatalogChange);
      await catalog.refresh();
    }
  }

  /** The aggregator's MCP path (configurable) on this page's origin. */
  private mcpEndpoint(): URL {
    const aggregator = this.store.services.find((service) => service.type === 'Aggregator');
    const url = aggregator?.data?.['url'];
    const path = typeof url === 'string' ? new URL(url).pathname : '/mcp';
    return new URL(path, this.base);
  }
}

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/events') return { view: 'events' };
  const service = /^\/services\/(.+)$/.exec(path);
  if (service?.[1] !== undefined) return { view: 'service', name: decodeURIComponent(service[1]) };
  return { view: 'fleet' };
}

function verb(action: ServiceAction): string {
  return action === 'start' ? 'Starting' : action === 'stop' ? 'Stopping' : 'Restarting';
}

customElements.define('corral-app', CorralApp);

declare global {
  interface HTMLElementTagNameMap {
    'corral-app': CorralApp;
  }
}
