import { z } from 'zod';
import type { StandardSchemaV1 } from '@corral/core';

/** When a process counts as ready: a TCP port on 127.0.0.1 accepts, or a stdout line matches. */
export type ReadyProbe = { readonly tcp: number } | { readonly stdout: string };

/** The `process` service type's config: the entry's fields besides core's (type, dependsOn…). */
export interface ProcessServiceConfig {
  /** The program to run; spawned without a shell, in its own process group. */
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the parent's environment. Values never appear in status output. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Without a probe the process is ready as soon as it has been spawned. */
  readonly ready?: ReadyProbe;
  /** How long the probe may take before the start fails (default 10 000). */
  readonly readyTimeoutMs?: number;
  /** How long a stop waits after SIGTERM before it sends SIGKILL (default 2 000). */
  readonly stopGraceMs?: number;
  /** How often a running process is probed (TCP connect, or "still alive"), in ms (default 5 000). */
  readonly healthIntervalMs?: number;
}

export const processConfigDefaults = {
  readyTimeoutMs: 10_000,
  stopGraceMs: 2_000,
  healthIntervalMs: 5_000,
} as const;

const fieldNames = [
  'command',
  'args',
  'env',
  'cwd',
  'ready',
  'readyTimeoutMs',
  'stopGraceMs',
  'healthIntervalMs',
];

const port = z
  .number({ error: 'must be a TCP port number, e.g. { tcp: 5432 }' })
  .int({ error: 'must be a whole port number from 1 to 65535' })
  .min(1, { error: 'must be a TCP port from 1 to 65535' })
  .max(65535, { error: 'must be a TCP port from 1 to 65535' });

const pattern = z
  .string({ error: 'must be a regular expression source, e.g. { stdout: "listening on \\\\d+" }' })
  .min(1, { error: 'must not be empty: give a regular expression a ready line matches' })
  .refine(isValidRegExp, {
    error: (issue) =>
      `is not a valid regular expression (${regExpProblem(issue.input) ?? 'invalid'}): fix the pattern`,
  });

const milliseconds = (example: number, allowZero: boolean) =>
  z
    .number({ error: `must be a number of milliseconds, e.g. ${example}` })
    .int({ error: `must be a whole number of milliseconds, e.g. ${example}` })
    .min(allowZero ? 0 : 1, {
      error: `must be ${allowZero ? 'zero or a positive' : 'a positive'} number of milliseconds, e.g. ${example}`,
    });

const schema = z.strictObject(
  {
    command: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'is required: the program to run, e.g. "node" or "/usr/bin/ssh" (no shell is used)'
            : 'must be a string: the program to run, e.g. "node" (put its arguments in args)',
      })
      .min(1, { error: 'must not be empty: give the program to run, e.g. "node"' }),
    args: z
      .array(z.string({ error: 'must be a string: quote every argument' }), {
        error: 'must be a list of strings, e.g. ["-N", "-L", "9090:localhost:9090"]',
      })
      .optional(),
    env: z
      .record(z.string(), z.string({ error: 'must be a string: quote the value, e.g. "5432"' }), {
        error: 'must map variable names to string values, e.g. { PGPORT: "5432" }',
      })
      .optional(),
    cwd: z.string({ error: 'must be a directory path (a string)' }).min(1).optional(),
    ready: z
      .union([z.strictObject({ tcp: port }), z.strictObject({ stdout: pattern })], {
        error: 'must be either { tcp: <port> } or { stdout: "<regular expression>" }',
      })
      .optional(),
    readyTimeoutMs: milliseconds(processConfigDefaults.readyTimeoutMs, false).optional(),
    stopGraceMs: milliseconds(processConfigDefaults.stopGraceMs, true).optional(),
    healthIntervalMs: milliseconds(processConfigDefaults.healthIntervalMs, false).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: ` +
          `a process service takes ${fieldNames.join(', ')} (besides type, dependsOn, autoStart, ` +
          'restart, disabled). Check the spelling.'
        : undefined,
  },
);

/**
 * The Standard Schema core validates `process` entries with (zod 4 implements it). Every issue
 * names its field, and its message says what to write instead.
 */
export const processConfigSchema: StandardSchemaV1<unknown, ProcessServiceConfig> = schema;

function isValidRegExp(source: string): boolean {
  return regExpProblem(source) === undefined;
}

function regExpProblem(source: unknown): string | undefined {
  try {
    new RegExp(String(source));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
