/**
 * @corral/core — the complete public surface. Everything a plugin author or embedder needs is
 * exported here by name; nothing else is public.
 */

// tsyringe needs the Reflect metadata polyfill before any decorated class is defined.
import 'reflect-metadata';

// Composition: plugins, the container and the app object.
export { createCorral, Corral } from './plugins/create-corral.js';
export type { CorralConfig, CreateCorralOptions } from './plugins/create-corral.js';
export { definePlugin, resolveToken } from './plugins/plugin.js';
export type { CorralPlugin, PluginContext, Provider } from './plugins/plugin.js';
export { ServiceTypeRegistry } from './plugins/service-types.js';
export type {
  ServiceConfigEntry,
  ServiceFactoryContext,
  ServiceTypeDefinition,
} from './plugins/service-types.js';
export type {
  HttpRouteProvider,
  ToolCallObserver,
  ToolCallRecord,
} from './plugins/contributions.js';
export { formatIssuePath } from './plugins/standard-schema.js';
export type { StandardSchemaV1 } from './plugins/standard-schema.js';
export { CoreTokens, createToken } from './tokens.js';
export type { Token } from './tokens.js';
export { inject, injectable, singleton } from 'tsyringe';
export type { DependencyContainer } from 'tsyringe';

// Services: the contract, the base class, states and capabilities.
export { AuthRequiredError, BaseService } from './service/base-service.js';
export type {
  RestartPolicy,
  Service,
  ServiceOptions,
  ServiceTransition,
  StopOptions,
  TransitionListener,
} from './service/base-service.js';
export {
  allowedTransitions,
  canTransition,
  failureStates,
  HealthStatus,
  restingStates,
  ServiceState,
} from './service/state.js';
export type { StopReason, TransitionReason } from './service/state.js';
export { ServiceRegistry } from './service/registry.js';
export type { RegistryObserver } from './service/registry.js';
export {
  isClientRequestReceiver,
  isCompletionProvider,
  isHealthChecker,
  isLoggingLevel,
  isLoggingProvider,
  isPromptProvider,
  isResourceProvider,
  isResourceSubscriptionProvider,
  isResourceTemplateProvider,
  isServiceDataProvider,
  isToolProvider,
  loggingLevels,
} from './service/capabilities.js';
export { isJsonObject, toJsonObject, toJsonValue } from './service/json.js';
export type {
  CallToolOptions,
  ClientRequestContext,
  ClientRequestHandler,
  ClientRequestReceiver,
  CompletionProvider,
  HealthChecker,
  HealthCheckResult,
  JsonField,
  JsonObject,
  JsonValue,
  LoggingLevel,
  LoggingProvider,
  LogMessage,
  PromptDescriptor,
  PromptProvider,
  PromptResult,
  ResourceDescriptor,
  ResourceProvider,
  ResourceReadResult,
  ResourceSubscriptionProvider,
  ResourceTemplateDescriptor,
  ResourceTemplateProvider,
  ServiceDataProvider,
  ToolCallResult,
  ToolDescriptor,
  ToolProgress,
  ToolProvider,
  Unsubscribe,
} from './service/capabilities.js';

// The orchestrator.
export { Orchestrator } from './orchestrator/orchestrator.js';
export type { ReadinessHook, ServiceInfo } from './orchestrator/orchestrator.js';
export { defaultOrchestratorOptions, resolveOrchestratorOptions } from './orchestrator/options.js';
export type {
  HealthOptions,
  OrchestratorOptions,
  OrchestratorOptionsInput,
  RetryOptions,
} from './orchestrator/options.js';
export { backoffCeiling, backoffDelay } from './orchestrator/backoff.js';
export type { BackoffPolicy } from './orchestrator/backoff.js';
export {
  dependentsIndex,
  findCycle,
  transitiveDependents,
  validateDependencies,
  validateDependenciesOf,
} from './orchestrator/dependency-graph.js';
export type { DependencyMap } from './orchestrator/dependency-graph.js';

// Events.
export { DEFAULT_QUEUE_SIZE, EventBus } from './events/event-bus.js';
export type {
  CorralEvent,
  EventBusOptions,
  EventSubscription,
  OverflowEvent,
  ServiceStateChangedEvent,
  SubscribeOptions,
} from './events/event-bus.js';

// Time, randomness and logging: injected, so tests control them.
export { mathRandom, sleep, systemClock } from './time/clock.js';
export type { Clock, RandomSource, TimerHandle } from './time/clock.js';
export { consoleLogger, silentLogger } from './logging/logger.js';
export type { LogFields, Logger } from './logging/logger.js';

// Errors: typed, with stable codes.
export {
  ConfigValidationError,
  CorralError,
  DependencyCycleError,
  DependencyNotRunningError,
  describeError,
  DuplicatePluginError,
  DuplicateServiceError,
  DuplicateServiceTypeError,
  HealthCheckError,
  InvalidTransitionError,
  MissingDependencyError,
  OrchestratorNotStartedError,
  OrchestratorStoppedError,
  PluginError,
  ReadinessTimeoutError,
  ServiceNotFoundError,
  ServiceStartError,
  StartAbortedError,
  toErrorInfo,
  UnknownServiceTypeError,
} from './errors/errors.js';
export type { ConfigProblem, ErrorInfo } from './errors/errors.js';
