import {
  type Logger,
  type ServiceInfo,
  ServiceState,
  type ToolCallObserver,
  type ToolCallRecord,
} from '@corral/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: from a fast local tool to a slow remote one. */
export const TOOL_LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];

const allStates: readonly ServiceState[] = Object.values(ServiceState);

/** The metric names, for dashboards and tests. */
export const MetricNames = {
  toolCalls: 'corral_tool_calls_total',
  toolErrors: 'corral_tool_call_errors_total',
  toolDuration: 'corral_tool_call_duration_seconds',
  serviceState: 'corral_service_state',
  serviceRestarts: 'corral_service_restarts_total',
  serviceConsecutiveFailures: 'corral_service_consecutive_failures',
} as const;

/**
 * Prometheus metrics in a registry of their own (never prom-client's global one, so two Corrals
 * in one process, or the embedder's own metrics, never collide). Tool metrics are fed by the
 * serving plugin through `ToolCallObserver`; service metrics are read from the orchestrator at
 * every scrape.
 */
export class CorralMetrics implements ToolCallObserver {
  readonly registry = new Registry();
  private readonly calls: Counter<'service' | 'tool'>;
  private readonly errors: Counter<'service' | 'tool' | 'outcome'>;
  private readonly duration: Histogram<'service' | 'tool'>;

  constructor(
    services: () => readonly ServiceInfo[],
    private readonly logger: Logger,
  ) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: MetricNames.toolCalls,
      help: 'Tool calls served, by owning service and tool',
      labelNames: ['service', 'tool'],
      registers,
    });
    this.errors = new Counter({
      name: MetricNames.toolErrors,
      help: 'Tool calls that did not succeed, by owning service, tool and outcome (tool_error, error, denied)',
      labelNames: ['service', 'tool', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: MetricNames.toolDuration,
      help: 'Tool call latency in seconds, by owning service and tool',
      labelNames: ['service', 'tool'],
      buckets: [...TOOL_LATENCY_BUCKETS],
      registers,
    });
    const state = new Gauge({
      name: MetricNames.serviceState,
      help: 'Service state: 1 for the current state, 0 for the others',
      labelNames: ['service', 'type', 'state'],
      registers,
      collect: () => {
        state.reset();
        for (const info of services()) {
          for (const s of allStates) {
            state.set({ service: info.name, type: info.type, state: s }, s === info.state ? 1 : 0);
          }
        }
      },
    });
    const restarts = new Counter({
      name: MetricNames.serviceRestarts,
      help: 'Times the retry path brought a service back',
      labelNames: ['service'],
      registers,
      collect: () => {
        // The orchestrator keeps the count; a scrape mirrors it.
        restarts.reset();
        for (const info of services()) restarts.inc({ service: info.name }, info.restarts);
      },
    });
    const failures = new Gauge({
      name: MetricNames.serviceConsecutiveFailures,
      help: 'Failures of a service since it last ran',
      labelNames: ['service'],
      registers,
      collect: () => {
        failures.reset();
        for (const info of services()) {
          failures.set({ service: info.name }, info.consecutiveFailures);
        }
      },
    });
  }

  /** Records one finished tool call. Never throws: metrics must not break a call. */
  onToolCall(record: ToolCallRecord): void {
    try {
      const labels = { service: record.service, tool: record.tool };
      this.calls.inc(labels);
      if (record.outcome !== 'ok') this.errors.inc({ ...labels, outcome: record.outcome });
      if (Number.isFinite(record.durationMs) && record.durationMs >= 0) {
        this.duration.observe(labels, record.durationMs / 1000);
      }
    } catch (error) {
      this.logger.warn('could not record a tool call in metrics', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** The Prometheus text exposition, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
