import { z } from 'zod';

/**
 * The structural checks made while a file is read: the shape of each entry and core's own fields.
 * Each type's own fields are checked later by its real schema (`checkServiceEntries`).
 */

const restartPolicies = ['on-failure', 'always', 'never'] as const;

/** `type` of an `mcpServers` / `servers` entry: the transport, in the clients' words. */
export const mcpTransportNames = ['stdio', 'sse', 'streamable-http', 'http'] as const;

const coreFields = {
  dependsOn: z
    .array(
      z
        .string({ error: 'must be a service name (a string)' })
        .min(1, { error: 'must not be empty: give a service name' }),
      { error: 'must be a list of service names, e.g. [tunnel]' },
    )
    .optional(),
  autoStart: z
    .boolean({ error: 'must be true (the default: start with the gateway) or false' })
    .optional(),
  restart: z
    .enum(restartPolicies, {
      error: (issue) =>
        `must be on-failure (the default), always or never${issue.input === undefined ? '' : `, not ${JSON.stringify(issue.input)}`}`,
    })
    .optional(),
  disabled: z.boolean({ error: 'must be true (leave this entry out) or false' }).optional(),
};

export const mcpServerEntrySchema = z.looseObject(
  {
    ...coreFields,
    type: z
      .enum(mcpTransportNames, {
        error: (issue) =>
          `must be stdio, sse, streamable-http or http (VS Code's name for streamable-http)` +
          `${issue.input === undefined ? '' : `, not ${JSON.stringify(issue.input)}`}: ` +
          'it names the transport; leave it out to let command or url decide',
      })
      .optional(),
  },
  {
    error:
      'must be a mapping of the server\'s settings, e.g. { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] }',
  },
);

export const serviceEntrySchema = z.looseObject(
  {
    ...coreFields,
    type: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'is required: the service type that runs this entry, e.g. process'
            : 'must be a service type name (a string), e.g. process',
      })
      .min(1, { error: 'must not be empty: give the service type, e.g. process' }),
  },
  {
    error: 'must be a mapping with a type, e.g. { type: process, command: ssh, args: [-N, host] }',
  },
);

export const pluginsSchema = z.array(
  z
    .string({ error: 'must be a module specifier (a string), e.g. "./my-plugin.js"' })
    .min(1, { error: 'must not be empty: give a module specifier, e.g. "@acme/corral-k8s"' }),
  {
    error: 'must be a list of module specifiers, e.g. ["@acme/corral-k8s", "./my-plugin.js"]',
  },
);
