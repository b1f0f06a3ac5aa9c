import type { JsonObject, ServiceInfo } from '@corral/core';

/** What `/healthz` answers. */
export interface HealthReport {
  /** True only when a service of the gateway type (the aggregator) is running. */
  readonly healthy: boolean;
  readonly body: JsonObject;
}

/**
 * Healthy means clients can be served: a service of `gatewayType` runs. The body lists every
 * service's state either way, so a 503 says what is wrong.
 */
export function healthReport(
  services: readonly ServiceInfo[],
  gatewayType: string,
  orchestratorRunning: boolean,
): HealthReport {
  const gateways = services.filter((service) => service.type === gatewayType);
  const serving = gateways.some((service) => service.state === 'running');
  const healthy = serving && orchestratorRunning;
  const reason = healthy
    ? undefined
    : !orchestratorRunning
      ? 'the orchestrator is not running'
      : gateways.length === 0
        ? `no service of type '${gatewayType}' is registered`
        : `no service of type '${gatewayType}' is running (${gateways
            .map((service) => `'${service.name}' is ${service.state}`)
            .join(', ')})`;
  return {
    healthy,
    body: {
      status: healthy ? 'ok' : 'unavailable',
      ...(reason === undefined ? {} : { reason }),
      services: services.map((service) => ({
        name: service.name,
        type: service.type,
        state: service.state,
        health: service.health,
      })),
    },
  };
}
