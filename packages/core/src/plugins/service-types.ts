import type { DependencyContainer } from 'tsyringe';
import {
  type ConfigProblem,
  ConfigValidationError,
  DuplicateServiceTypeError,
  UnknownServiceTypeError,
} from '../errors/errors.js';
import type { Logger } from '../logging/logger.js';
import type { BaseService, RestartPolicy } from '../service/base-service.js';
import { formatIssuePath, type StandardSchemaV1 } from './standard-schema.js';

/** What a factory receives to build one service. */
export interface ServiceFactoryContext<Config> {
  readonly name: string;
  /** The type-specific part of the entry, validated by the type's schema. */
  readonly config: Config;
  readonly dependencies: readonly string[];
  readonly autoStart: boolean;
  readonly restartPolicy: RestartPolicy;
  /** The container of the plugin that registered the type. */
  readonly container: DependencyContainer;
  readonly logger: Logger;
}

/** A service type: a name, a schema for its config and a factory. Registered by a plugin. */
export interface ServiceTypeDefinition<Config = unknown> {
  readonly type: string;
  readonly description?: string;
  readonly configSchema: StandardSchemaV1<unknown, Config>;
  create(context: ServiceFactoryContext<Config>): BaseService;
}

/** One service in configuration: core's fields plus whatever its type's schema accepts. */
export interface ServiceConfigEntry {
  readonly type: string;
  readonly dependsOn?: readonly string[];
  readonly autoStart?: boolean;
  readonly restart?: RestartPolicy;
  readonly disabled?: boolean;
  readonly [field: string]: unknown;
}

const coreFields = new Set(['type', 'dependsOn', 'autoStart', 'restart', 'disabled']);
const restartPolicies: readonly RestartPolicy[] = ['on-failure', 'always', 'never'];

interface Registered {
  readonly definition: ServiceTypeDefinition;
  readonly pluginId: string;
  readonly container: DependencyContainer;
}

/** Every service type the plugins registered, and building services from config entries. */
export class ServiceTypeRegistry {
  private readonly types = new Map<string, Registered>();

  constructor(private readonly logger: Logger) {}

  register<Config>(
    definition: ServiceTypeDefinition<Config>,
    pluginId: string,
    container: DependencyContainer,
  ): void {
    const existing = this.types.get(definition.type);
    if (existing) throw new DuplicateServiceTypeError(definition.type, pluginId, existing.pluginId);
    this.types.set(definition.type, {
      definition: definition,
      pluginId,
      container,
    });
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  list(): { type: string; pluginId: string; description?: string }[] {
    return [...this.types.values()].map(({ definition, pluginId }) => ({
      type: definition.type,
      pluginId,
      ...(definition.description ? { description: definition.description } : {}),
    }));
  }

  /**
   * Validates a config entry and builds its service. Throws `ConfigValidationError` listing
   * every problem, each with its path under `services.<name>`.
   */
  async create(name: string, entry: unknown): Promise<BaseService> {
    const at = `services.${name}`;
    const problems: ConfigProblem[] = [];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigValidationError([
        { path: at, message: 'must be an object with at least a "type" field' },
      ]);
    }
    const fields = entry as Record<string, unknown>;
    const type = fields['type'];
    if (typeof type !== 'string' || type === '') {
      throw new ConfigValidationError([
        {
          path: `${at}.type`,
          message: `is required: one of ${this.knownTypes() || '(no types registered)'}`,
        },
      ]);
    }
    const registered = this.types.get(type);
    if (!registered) {
      throw new ConfigValidationError([
        {
          path: `${at}.type`,
          message: new UnknownServiceTypeError(type, this.typeNames()).message,
        },
      ]);
    }
    const dependsOn = fields['dependsOn'] ?? [];
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string' && d !== '')) {
      problems.push({ path: `${at}.dependsOn`, message: 'must be a list of service names' });
    }
    const autoStart = fields['autoStart'] ?? true;
    if (typeof autoStart !== 'boolean') {
      problems.push({ path: `${at}.autoStart`, message: 'must be true or false' });
    }
    const restart = fields['restart'] ?? 'on-failure';
    if (!restartPolicies.includes(restart as RestartPolicy)) {
      problems.push({
        path: `${at}.restart`,
        message: `must be one of ${restartPolicies.join(', ')}`,
      });
    }
    const typeConfig: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (!coreFields.has(key)) typeConfig[key] = value;
    }
    const result = await registered.definition.configSchema['~standard'].validate(typeConfig);
    if (result.issues) {
      for (const issue of result.issues) {
        const sub = formatIssuePath(issue.path);
        problems.push({
          path: sub === '' ? at : sub.startsWith('[') ? `${at}${sub}` : `${at}.${sub}`,
          message: issue.message,
        });
      }
    }
    if (problems.length > 0 || result.issues) throw new ConfigValidationError(problems);
    return registered.definition.create({
      name,
      config: result.value,
      dependencies: dependsOn as string[],
      autoStart: autoStart as boolean,
      restartPolicy: restart as RestartPolicy,
      container: registered.container,
      logger: this.logger,
    });
  }

  private typeNames(): string[] {
    return [...this.types.keys()];
  }

  private knownTypes(): string {
    return this.typeNames().join(', ');
  }
}
