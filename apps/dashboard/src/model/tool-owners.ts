import type { ServiceInfo } from './types.js';

/** The name tools of plugin providers that are not services (the api-adapter's `core_*`). */
export const CORE_SOURCE = 'core';

/**
 * Which service each exposed tool belongs to, from the aggregator's naming rule
 * (`<prefix>_<toolPrefix or service name>_<tool>`; `core_<tool>` for the api-adapter; a server
 * with `toolPrefix: ""` keeps its own names). The longest matching prefix wins, so services
 * `a` and `a_b` are told apart; names the rule cannot place (two transparent servers) map to
 * `undefined`.
 */
export function toolOwners(
  toolNames: readonly string[],
  services: readonly ServiceInfo[],
): Map<string, string | undefined> {
  const aggregator = services.find((service) => service.type === 'Aggregator');
  const prefix = stringField(aggregator?.data, 'prefix') ?? 'x';
  const sources = new Set(
    arrayOfStrings(aggregator?.data?.['sources']) ??
      services.filter((s) => s.tools !== undefined).map((s) => s.name),
  );
  const prefixed: { head: string; owner: string }[] = [];
  const transparent: string[] = [];
  for (const service of services) {
    if (!sources.has(service.name)) continue;
    const own = service.data?.['toolPrefix'];
    const part = typeof own === 'string' ? own : service.name;
    if (part === '') {
      transparent.push(service.name);
      continue;
    }
    prefixed.push({ head: prefix === '' ? `${part}_` : `${prefix}_${part}_`, owner: service.name });
  }
  if (sources.has(CORE_SOURCE)) prefixed.push({ head: `${CORE_SOURCE}_`, owner: CORE_SOURCE });
  prefixed.sort((a, b) => b.head.length - a.head.length);

  const owners = new Map<string, string | undefined>();
  for (const name of toolNames) {
    const match = prefixed.find(({ head }) => name.startsWith(head));
    owners.set(name, match?.owner ?? (transparent.length === 1 ? transparent[0] : undefined));
  }
  return owners;
}

function stringField(
  data: Readonly<Record<string, unknown>> | undefined,
  key: string,
): string | undefined {
  const value = data?.[key];
  return typeof value === 'string' ? value : undefined;
}

function arrayOfStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: unknown[] = value;
  return items.every((item): item is string => typeof item === 'string') ? items : undefined;
}
