/**
 * The gateway's config, as the rest of the app sees it: the contract between the config module
 * (loading, expansion, validation) and `serve` (wiring, hot reload).
 */

/** One problem in a config, located as precisely as the file allows. */
export interface GatewayConfigProblem {
  /** The file it came from (as given by the user), or `(built-in default fleet)`. */
  readonly file: string;
  /** Dotted path in the file's own terms, e.g. `mcpServers.memory.args[1]` or `aggregator.port`. */
  readonly path: string;
  /** What is wrong and how to fix it, e.g. `must be a list of strings, e.g. ["-y", "pkg"]`. */
  readonly message: string;
  /** 1-based line and column of the offending value, when known. */
  readonly line?: number;
  readonly column?: number;
}

/** 1-based line and column of a value in a config file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A core service entry (`{ type, dependsOn?, autoStart?, restart?, ...typeFields }`). */
export type ServiceEntry = Readonly<Record<string, unknown>> & { readonly type: string };

/** Where a service entry came from in the file, so its problems are reported in the file's terms. */
export interface EntryOrigin {
  /** `mcpServers` (also for VS Code's `servers`) or `services`. */
  readonly section: 'mcpServers' | 'servers' | 'services';
  /** The entry's path prefix in the file, e.g. `mcpServers.memory`. */
  readonly path: string;
}

/**
 * A config ready to run: every server as a core service entry (`mcpServers` entries become
 * `type: 'MCPServer'` entries with `type: sse|streamable-http|http|stdio` moved to `transport`),
 * `${VAR}` expanded, disabled entries left out.
 */
export interface GatewayConfig {
  /** The file (absolute path), or undefined for the built-in default fleet. */
  readonly file: string | undefined;
  /** The `aggregator` section's fields, for the `Aggregator` service entry (no `type`). */
  readonly aggregator: Readonly<Record<string, unknown>>;
  /** Every enabled service by name, ready for `ServiceTypeRegistry.create(name, entry)`. */
  readonly services: Readonly<Record<string, ServiceEntry>>;
  /** Where each service entry came from. */
  readonly origins: Readonly<Record<string, EntryOrigin>>;
  /** Names of entries with `disabled: true` (left out of `services`). */
  readonly disabled: readonly string[];
  /** Module specifiers of extra plugins to load (resolved from the config file's directory). */
  readonly plugins: readonly string[];
  /** Entries that were dropped because they are invalid; the rest is runnable. */
  readonly problems: readonly GatewayConfigProblem[];
  /** Things worth telling the user that do not stop anything (e.g. ignored unknown keys). */
  readonly warnings: readonly string[];
  /** The file as the user named it, for messages (`(built-in default fleet)` for the default). */
  readonly displayName?: string;
  /** Where values sit in the file, by path in the file's terms (e.g. `mcpServers.memory.args`). */
  readonly positions?: Readonly<Record<string, SourcePosition>>;
}
