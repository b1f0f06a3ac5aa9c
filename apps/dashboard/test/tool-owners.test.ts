import { describe, expect, it } from 'vitest';
import { toolOwners } from '../src/model/tool-owners.js';
import type { ServiceInfo } from '../src/model/types.js';

function service(name: string, type: string, data: Record<string, unknown> = {}): ServiceInfo {
  return {
    name,
    type,
    state: 'running',
    health: 'healthy',
    dependencies: [],
    autoStart: true,
    consecutiveFailures: 0,
    restarts: 0,
    data,
  };
}

describe('toolOwners', () => {
  const aggregator = (sources: string[], prefix = 'x'): ServiceInfo =>
    service('gateway', 'Aggregator', { prefix, sources });

  it('maps x_<service>_<tool> and core_* to their owners', () => {
    const owners = toolOwners(
      ['x_memory_read_graph', 'x_everything_echo', 'core_service_list'],
      [
        service('memory', 'MCPServer', { toolPrefix: null }),
        service('everything', 'MCPServer', { toolPrefix: null }),
        aggregator(['core', 'memory', 'everything']),
      ],
    );
    expect(Object.fromEntries(owners)).toEqual({
      x_memory_read_graph: 'memory',
      x_everything_echo: 'everything',
      core_service_list: 'core',
    });
  });

  it('tells a service from one whose name extends it (longest prefix wins)', () => {
    const owners = toolOwners(
      ['x_a_b_c', 'x_a_d', 'x_a_b_c_1f3e0a9b'],
      [service('a', 'MCPServer'), service('a_b', 'MCPServer'), aggregator(['a', 'a_b'])],
    );
    expect(owners.get('x_a_d')).toBe('a');
    expect(owners.get('x_a_b_c')).toBe('a_b');
    expect(owners.get('x_a_b_c_1f3e0a9b')).toBe('a_b');
  });

  it('follows toolPrefix, the aggregator prefix, and a single transparent server', () => {
    const owners = toolOwners(
      ['mcp_prom_query', 'search', 'core_events'],
      [
        service('metrics', 'MCPServer', { toolPrefix: 'prom' }),
        service('web', 'MCPServer', { toolPrefix: '' }),
        aggregator(['core', 'metrics', 'web'], 'mcp'),
      ],
    );
    expect(Object.fromEntries(owners)).toEqual({
      mcp_prom_query: 'metrics',
      search: 'web',
      core_events: 'core',
    });
  });

  it('leaves a name unplaced when two transparent servers could own it', () => {
    const owners = toolOwners(
      ['search'],
      [
        service('a', 'MCPServer', { toolPrefix: '' }),
        service('b', 'MCPServer', { toolPrefix: '' }),
        aggregator(['a', 'b']),
      ],
    );
    expect(owners.get('search')).toBeUndefined();
  });

  it('ignores services the aggregator does not serve', () => {
    const owners = toolOwners(
      ['x_memory_read_graph'],
      [service('memory', 'MCPServer'), aggregator(['core'])],
    );
    expect(owners.get('x_memory_read_graph')).toBeUndefined();
  });
});
