/**
 * Every error Corral raises is a `CorralError` with a stable `code` (for programs) and a message
 * that says what went wrong and what to do about it (for people).
 */
export abstract class CorralError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** JSON-safe form used in events and status. */
  toJSON(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** The JSON-safe shape of an error as it appears in events and status. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

export class ServiceNotFoundError extends CorralError {
  readonly code = 'SERVICE_NOT_FOUND';
  constructor(
    readonly serviceName: string,
    known: readonly string[] = [],
  ) {
    super(
      `service '${serviceName}' not found. ` +
        (known.length > 0
          ? `Registered services: ${known.join(', ')}. Check the name.`
          : 'No services are registered yet: add it first.'),
    );
  }
}

export class DuplicateServiceError extends CorralError {
  readonly code = 'SERVICE_ALREADY_EXISTS';
  constructor(readonly serviceName: string) {
    super(
      `service '${serviceName}' is already registered. Service names are unique: pick another ` +
        `name, or remove the existing service first.`,
    );
  }
}

export class DependencyCycleError extends CorralError {
  readonly code = 'DEPENDENCY_CYCLE';
  constructor(readonly cycle: readonly string[]) {
    super(
      `dependency cycle: ${cycle.join(' → ')}. A service cannot depend on itself, directly or ` +
        `through others: remove one of these dependencies.`,
    );
  }
}

export class MissingDependencyError extends CorralError {
  readonly code = 'MISSING_DEPENDENCY';
  constructor(
    readonly serviceName: string,
    readonly dependency: string,
  ) {
    super(
      `service '${serviceName}' depends on '${dependency}', which is not registered. Add a ` +
        `service named '${dependency}' or remove it from '${serviceName}'s dependencies.`,
    );
  }
}

export class ServiceStartError extends CorralError {
  readonly code = 'SERVICE_START_FAILED';
  constructor(
    readonly serviceName: string,
    cause: unknown,
  ) {
    super(`service '${serviceName}' failed to start: ${describeError(cause)}`, { cause });
  }
}

export class StartAbortedError extends CorralError {
  readonly code = 'START_ABORTED';
  constructor(
    readonly serviceName: string,
    why = 'a stop was requested while it was starting',
  ) {
    super(`start of service '${serviceName}' was cancelled: ${why}.`);
  }
}

export class DependencyNotRunningError extends CorralError {
  readonly code = 'DEPENDENCY_NOT_RUNNING';
  constructor(
    readonly serviceName: string,
    readonly dependency: string,
    state: string,
  ) {
    super(
      `service '${serviceName}' cannot start: its dependency '${dependency}' is ${state}. ` +
        `Start '${dependency}' first, or fix why it is ${state}.`,
    );
  }
}

export class ReadinessTimeoutError extends CorralError {
  readonly code = 'READINESS_TIMEOUT';
  constructor(
    readonly serviceName: string,
    readonly timeoutMs: number,
    readonly waitingOn: readonly string[],
  ) {
    super(
      `service '${serviceName}' is running but was not reported ready within ${timeoutMs} ms ` +
        `(waiting on: ${waitingOn.join(', ') || 'a readiness hook'}). Check that plugin's logs, or ` +
        `raise readinessTimeoutMs.`,
    );
  }
}

export class OrchestratorStoppedError extends CorralError {
  readonly code = 'ORCHESTRATOR_STOPPED';
  constructor(action: string) {
    super(`cannot ${action}: the orchestrator is stopping or stopped. Create a new one.`);
  }
}

export class OrchestratorNotStartedError extends CorralError {
  readonly code = 'ORCHESTRATOR_NOT_STARTED';
  constructor(action: string) {
    super(`cannot ${action}: the orchestrator has not been started. Call start() first.`);
  }
}

export class InvalidTransitionError extends CorralError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly serviceName: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(
      `service '${serviceName}' cannot go from '${from}' to '${to}'. This is a bug in the ` +
        `service implementation or in Corral: please report it.`,
    );
  }
}

export class HealthCheckError extends CorralError {
  readonly code = 'HEALTH_CHECK_FAILED';
  constructor(
    readonly serviceName: string,
    readonly consecutiveFailures: number,
    cause: unknown,
  ) {
    super(
      `service '${serviceName}' failed ${consecutiveFailures} health checks in a row; last: ` +
        describeError(cause),
      { cause },
    );
  }
}

export class UnknownServiceTypeError extends CorralError {
  readonly code = 'UNKNOWN_SERVICE_TYPE';
  constructor(
    readonly serviceType: string,
    known: readonly string[],
  ) {
    super(
      `unknown service type '${serviceType}'. ` +
        (known.length > 0
          ? `Known types: ${known.join(', ')}. Check the spelling or add the plugin that provides it.`
          : 'No plugin registered any service type: add the plugin that provides it.'),
    );
  }
}

export class DuplicateServiceTypeError extends CorralError {
  readonly code = 'SERVICE_TYPE_ALREADY_REGISTERED';
  constructor(
    readonly serviceType: string,
    pluginId: string,
    previousPluginId: string,
  ) {
    super(
      `plugin '${pluginId}' registers service type '${serviceType}', which plugin ` +
        `'${previousPluginId}' already registered. Load only one plugin for each type.`,
    );
  }
}

export class DuplicatePluginError extends CorralError {
  readonly code = 'PLUGIN_ALREADY_REGISTERED';
  constructor(readonly pluginId: string) {
    super(`plugin '${pluginId}' is listed twice. List each plugin once.`);
  }
}

export class PluginError extends CorralError {
  readonly code = 'PLUGIN_FAILED';
  constructor(
    readonly pluginId: string,
    phase: 'register' | 'start' | 'stop',
    cause: unknown,
  ) {
    super(`plugin '${pluginId}' failed in ${phase}: ${describeError(cause)}`, { cause });
  }
}

/** One problem found in configuration: where it is and what is wrong with it. */
export interface ConfigProblem {
  /** Path to the offending value, e.g. `services.db.port`. */
  readonly path: string;
  readonly message: string;
}

export class ConfigValidationError extends CorralError {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n'),
    );
  }
}

/** A message for any thrown value, for logs and events. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** The JSON-safe form of any thrown value. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof CorralError) return error.toJSON();
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'ERROR', message: error.message };
  }
  return { code: 'ERROR', message: describeError(error) };
}
