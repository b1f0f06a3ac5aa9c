import type { JsonObject, ToolDescriptor } from '@corral/core';
import {
  limitArgument,
  MAX_EVENT_LIMIT,
  DEFAULT_EVENT_LIMIT,
  seqArgument,
  serviceNameArgument,
} from '../arguments.js';
import { actionResultJson, eventPageJson } from './results.js';
import { serviceInfoJson } from '../json-views.js';
import type { ServiceManagement } from '../service-management.js';

/** One tool: what clients see, and what it does. Returns the structured result. */
export interface CoreTool {
  readonly descriptor: ToolDescriptor;
  run(api: ServiceManagement, args: JsonObject): Promise<JsonObject>;
}

/** Tools that only read status. */
const readOnly = { readOnlyHint: true, idempotentHint: true, openWorldHint: false };

/** Start and stop: change state, destroy nothing, and repeating them changes nothing more. */
const lifecycleAction = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

const nameSchema: JsonObject = {
  type: 'object',
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      description: 'The service name exactly as core_service_list shows it, e.g. "memory".',
    },
  },
  required: ['name'],
  additionalProperties: false,
};

/** The tools, as data. The aggregator exposes each as `core_<name>`. */
export const coreTools: readonly CoreTool[] = [
  {
    descriptor: {
      name: 'service_list',
      title: 'List services',
      description:
        'List every service Corral manages (MCP servers, the aggregator, plugin services) with ' +
        'its type, state (running, stopped, failed, retrying, …), health, dependencies, restart ' +
        'count and last error. Use it first to learn the service names the other core_service_* ' +
        'tools take.',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      annotations: readOnly,
    },
    run: (api) => Promise.resolve({ services: api.getAllServices().map(serviceInfoJson) }),
  },
  {
    descriptor: {
      name: 'service_status',
      title: 'Service status',
      description:
        'Show one service in detail: state, health, last error with its reason, consecutive ' +
        'failures, when the next retry is due, and the metadata the service reports (secrets ' +
        'redacted).',
      inputSchema: nameSchema,
      annotations: readOnly,
    },
    run: (api, args) =>
      Promise.resolve(serviceInfoJson(api.getServiceStatus(serviceNameArgument(args['name'])))),
  },
  {
    descriptor: {
      name: 'service_start',
      title: 'Start a service',
      description:
        'Start a service (its dependencies first) and wait until it runs and its tools are ' +
        'available. Starting a service that already runs does nothing and says so. A failed start ' +
        'returns an error with the reason.',
      inputSchema: nameSchema,
      annotations: lifecycleAction,
    },
    run: async (api, args) =>
      actionResultJson(await api.startService(serviceNameArgument(args['name']))),
  },
  {
    descriptor: {
      name: 'service_stop',
      title: 'Stop a service',
      description:
        'Stop a service; services that depend on it are stopped first and resume when it runs ' +
        'again. Corral will not restart a service stopped this way until it is started again. ' +
        'Stopping a stopped service does nothing and says so.',
      inputSchema: nameSchema,
      annotations: lifecycleAction,
    },
    run: async (api, args) =>
      actionResultJson(await api.stopService(serviceNameArgument(args['name']))),
  },
  {
    descriptor: {
      name: 'service_restart',
      title: 'Restart a service',
      description:
        'Stop a service and start it again (its dependents come back after it), e.g. to pick up ' +
        'a fix or clear a wedged server. Returns an error with the reason if the start fails.',
      inputSchema: nameSchema,
      annotations: { ...lifecycleAction, idempotentHint: false },
    },
    run: async (api, args) =>
      actionResultJson(await api.restartService(serviceNameArgument(args['name']))),
  },
  {
    descriptor: {
      name: 'events',
      title: 'Recent service events',
      description:
        'Recent state changes of services (started, stopped, failed, retrying, health changes), ' +
        'oldest first, each with a sequence number (seq), the old and new state and the error ' +
        'if any. Without since: the latest events. With since: the events after that seq; pass ' +
        'the returned nextSince to get the following page.',
      inputSchema: {
        type: 'object',
        properties: {
          since: {
            type: 'integer',
            minimum: 0,
            description:
              'Return only events with a seq greater than this (e.g. the nextSince of an ' +
              'earlier call). Omit for the latest events.',
          },
          limit: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_EVENT_LIMIT,
            default: DEFAULT_EVENT_LIMIT,
            description: `At most this many events (default ${DEFAULT_EVENT_LIMIT}, at most ${MAX_EVENT_LIMIT}).`,
          },
        },
        additionalProperties: false,
      },
      annotations: readOnly,
    },
    run: (api, args) => {
      const since = seqArgument(args['since']);
      const limit = limitArgument(args['limit']);
      return Promise.resolve(
        eventPageJson(api.getEvents(since === undefined ? { limit } : { since, limit })),
      );
    },
  },
];
