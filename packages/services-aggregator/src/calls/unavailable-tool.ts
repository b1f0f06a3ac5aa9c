import { type BaseService, isToolProvider, type ToolProvider } from '@corral/core';
import { candidateName } from '../naming/exposed-names.js';

/**
 * Why no running server offers `name`, when its name says whose it is: a configured server
 * that is not running (stopped, starting, failed, …) whose tools are named `<namespace>_<its
 * prefix>_…`. Says what state it is in and what to do; undefined when no such server claims it.
 */
export function unavailableToolReason(
  name: string,
  services: readonly BaseService[],
  namespace: string,
): string | undefined {
  const owner = services
    .filter(
      (service): service is BaseService & ToolProvider =>
        service.state !== 'running' && isToolProvider(service),
    )
    // A transparent server (prefix "") keeps its own names: its stem is "", nothing tells whose.
    .map((service) => ({
      service,
      stem: candidateName(namespace, service.toolPrefix ?? service.name, ''),
    }))
    .filter(({ stem }) => stem !== '' && name.startsWith(stem) && name.length > stem.length)
    // The most specific prefix wins: `x_a_b_` over `x_a_`.
    .sort((a, b) => b.stem.length - a.stem.length)[0]?.service;
  if (owner === undefined) return undefined;
  const server = `server '${owner.name}'`;
  const start = `start it with \`corral start ${owner.name}\` (or the core_service_start tool)`;
  const lastError = owner.lastError ? ` (${owner.lastError.message})` : '';
  switch (owner.state) {
    case 'stopped':
      return `${server} is stopped — ${start}, then call it again`;
    case 'starting':
    case 'waiting':
    case 'retrying':
      return `${server} is ${owner.state}${lastError} — call it again once the server runs (its tools are listed again then)`;
    default:
      return `${server} is ${owner.state}${lastError} — see \`corral status ${owner.name}\`; once it is fixed, ${start}`;
  }
}
