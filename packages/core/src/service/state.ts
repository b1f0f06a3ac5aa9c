/** Lifecycle states of a service (DESIGN §3). One vocabulary for every transport and type. */
export const ServiceState = {
  Unknown: 'unknown',
  Waiting: 'waiting',
  Starting: 'starting',
  Running: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
  Failed: 'failed',
  Retrying: 'retrying',
  Unreachable: 'unreachable',
  AuthRequired: 'auth_required',
} as const;
export type ServiceState = (typeof ServiceState)[keyof typeof ServiceState];

export const HealthStatus = {
  Unknown: 'unknown',
  Healthy: 'healthy',
  Degraded: 'degraded',
  Unhealthy: 'unhealthy',
  Checking: 'checking',
} as const;
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

/**
 * Why a service was stopped. `manual`: a person or program asked — never undone by the
 * orchestrator. `dependency`: something it depends on went away — undone when it returns.
 * `shutdown`: the orchestrator is stopping.
 */
export type StopReason = 'manual' | 'dependency' | 'shutdown';

/** Why a transition happened, as carried on events. */
export type TransitionReason = StopReason | 'start' | 'retry' | 'failure' | 'health' | 'recovered';

/**
 * The state machine as data: for each state, the states it may move to. Anything else is a bug
 * and raises `InvalidTransitionError`.
 */
export const allowedTransitions: Readonly<Record<ServiceState, readonly ServiceState[]>> = {
  unknown: ['starting', 'stopped', 'waiting'],
  stopped: ['starting', 'waiting'],
  waiting: ['starting', 'stopped'],
  starting: ['running', 'failed', 'auth_required', 'stopping'],
  running: ['stopping', 'failed', 'auth_required'],
  stopping: ['stopped', 'waiting'],
  failed: ['retrying', 'unreachable', 'starting', 'stopped', 'waiting'],
  retrying: ['starting', 'stopped', 'waiting'],
  unreachable: ['starting', 'stopped', 'waiting'],
  auth_required: ['retrying', 'unreachable', 'starting', 'stopped', 'waiting'],
};

/** States in which nothing of the service is running and no operation is pending. */
export const restingStates: ReadonlySet<ServiceState> = new Set<ServiceState>([
  'unknown',
  'stopped',
  'waiting',
  'failed',
  'retrying',
  'unreachable',
  'auth_required',
]);

/** States that mean "this service broke and the retry path owns it". */
export const failureStates: ReadonlySet<ServiceState> = new Set<ServiceState>([
  'failed',
  'retrying',
  'unreachable',
  'auth_required',
]);

export function canTransition(from: ServiceState, to: ServiceState): boolean {
  return allowedTransitions[from].includes(to);
}
