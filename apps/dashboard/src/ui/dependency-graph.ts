import { css, html, LitElement, svg, type SVGTemplateResult } from 'lit';
import { layoutGraph } from '../model/graph-layout.js';
import type { ServiceInfo } from '../model/types.js';
import { baseStyles } from './styles.js';

const NODE_W = 170;
const NODE_H = 46;
const GAP_X = 70;
const GAP_Y = 18;
const PAD = 10;

const FILL: Record<string, { fill: string; stroke: string; text: string }> = {
  running: { fill: '#e3f3e6', stroke: '#0a5a1c', text: '#0a5a1c' },
  failed: { fill: '#fde8ea', stroke: '#a1161f', text: '#a1161f' },
  unreachable: { fill: '#fde8ea', stroke: '#a1161f', text: '#a1161f' },
  auth_required: { fill: '#fde8ea', stroke: '#a1161f', text: '#a1161f' },
  stopped: { fill: '#ececf0', stroke: '#36363f', text: '#36363f' },
  unknown: { fill: '#ececf0', stroke: '#36363f', text: '#36363f' },
};
const PENDING = { fill: '#fff3cd', stroke: '#664b00', text: '#664b00' };

/**
 * The fleet as a graph: columns by dependency depth (a service sits right of what it depends
 * on), an arrow from each service to each dependency, nodes coloured and labelled by state.
 * Each node links to its service view.
 */
export class DependencyGraph extends LitElement {
  static override properties = { services: { attribute: false } };
  static override styles = [
    baseStyles,
    css`
      svg {
        max-width: 100%;
        height: auto;
      }
      a:focus-visible rect {
        stroke: #0b57d0;
        stroke-width: 4;
      }
      text {
        font:
          13px system-ui,
          sans-serif;
      }
      .name {
        font-weight: 600;
      }
    `,
  ];

  declare services: readonly ServiceInfo[];

  constructor() {
    super();
    this.services = [];
  }

  override render(): unknown {
    const layout = layoutGraph(
      this.services.map((s) => ({ name: s.name, dependencies: s.dependencies })),
    );
    const x = (column: number): number => PAD + column * (NODE_W + GAP_X);
    const y = (row: number): number => PAD + row * (NODE_H + GAP_Y);
    const width = x(layout.columns) - GAP_X + PAD;
    const height = y(layout.rows) - GAP_Y + PAD;
    const byName = new Map(this.services.map((s) => [s.name, s]));
    const edges = layout.edges.map(({ from, to }) => {
      const a = layout.nodes.get(from);
      const b = layout.nodes.get(to);
      if (!a || !b) return svg``;
      const x1 = x(a.column);
      const y1 = y(a.row) + NODE_H / 2;
      const x2 = x(b.column) + NODE_W;
      const y2 = y(b.row) + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      return svg`<path d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2 + 6} ${y2}"
        fill="none" stroke="#55555f" stroke-width="1.5" marker-end="url(#arrow)"></path>`;
    });
    const nodes = [...layout.nodes].map(([name, { column, row }]): SVGTemplateResult => {
      const service = byName.get(name);
      const state = service?.state ?? 'unknown';
      const colours = FILL[state] ?? PENDING;
      const deps = service?.dependencies.length
        ? `, depends on ${service.dependencies.join(', ')}`
        : '';
      return svg`<a href="#/services/${encodeURIComponent(name)}"
          aria-label="${name}: ${state.replace(/_/g, ' ')}${deps}">
        <rect x=${x(column)} y=${y(row)} width=${NODE_W} height=${NODE_H} rx="6"
          fill=${colours.fill} stroke=${colours.stroke} stroke-width="1.5"></rect>
        <text class="name" x=${x(column) + 10} y=${y(row) + 19} fill="#1b1b1f">${name}</text>
        <text x=${x(column) + 10} y=${y(row) + 37} fill=${colours.text}>${state.replace(/_/g, ' ')}</text>
      </a>`;
    });
    return html`<svg
      role="group"
      aria-label="Dependency graph: arrows point from a service to what it depends on"
      width=${width}
      height=${height}
      viewBox="0 0 ${width} ${height}"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="8"
          markerHeight="8"
          orient="auto-start-reverse"
        >
          <path d="M0 0 L10 5 L0 10 z" fill="#55555f"></path>
        </marker>
      </defs>
      ${edges} ${nodes}
    </svg>`;
  }
}

customElements.define('corral-dependency-graph', DependencyGraph);

declare global {
  interface HTMLElementTagNameMap {
    'corral-dependency-graph': DependencyGraph;
  }
}
