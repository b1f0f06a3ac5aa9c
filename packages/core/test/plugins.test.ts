import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BaseService,
  ConfigValidationError,
  CoreTokens,
  type CorralPlugin,
  createCorral,
  createToken,
  definePlugin,
  DuplicatePluginError,
  DuplicateServiceTypeError,
  inject,
  injectable,
  type Logger,
  PluginError,
  type ServiceFactoryContext,
  silentLogger,
  type ToolProvider,
} from '../src/index.js';

const echoSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  greeting: z.string().default('hello'),
});
type EchoConfig = z.infer<typeof echoSchema>;

class EchoService extends BaseService {
  started = 0;
  constructor(readonly context: ServiceFactoryContext<EchoConfig>) {
    super({
      name: context.name,
      type: 'echo',
      dependencies: context.dependencies,
      autoStart: context.autoStart,
      restartPolicy: context.restartPolicy,
    });
  }
  protected doStart(): Promise<void> {
    this.started++;
    return Promise.resolve();
  }
  protected doStop(): Promise<void> {
    return Promise.resolve();
  }
}

const echoPlugin = definePlugin({
  id: 'echo',
  register(ctx) {
    ctx.registerServiceType({
      type: 'echo',
      description: 'answers on a port',
      configSchema: echoSchema,
      create: (context) => new EchoService(context),
    });
  },
});

describe('createCorral and plugins', () => {
  it('builds services from config through the type a plugin registered, and runs them', async () => {
    const corral = await createCorral({
      plugins: [echoPlugin],
      logger: silentLogger,
      config: {
        services: {
          a: { type: 'echo', port: 1 },
          b: { type: 'echo', port: 2, greeting: 'hi', dependsOn: ['a'], restart: 'never' },
          c: { type: 'echo', port: 3, disabled: true },
          d: { type: 'echo', port: 4, autoStart: false },
        },
      },
    });
    expect(corral.registry.names()).toEqual(['a', 'b', 'd']);
    const b = corral.registry.get('b');
    if (!(b instanceof EchoService)) throw new Error('expected an EchoService');
    expect(b.context.config).toEqual({ port: 2, greeting: 'hi' });
    expect(b.dependencies).toEqual(['a']);
    expect(b.restartPolicy).toBe('never');
    await corral.start();
    expect(corral.orchestrator.getAllServices().map((s) => s.state)).toEqual([
      'running',
      'running',
      'unknown',
    ]);
    await corral.stop();
    expect(corral.orchestrator.getAllServices().map((s) => s.state)).toEqual([
      'stopped',
      'stopped',
      'unknown',
    ]);
  });

  it('lists every config problem with its path and what to do', async () => {
    const error = await createCorral({
      plugins: [echoPlugin],
      logger: silentLogger,
      config: {
        services: {
          good: { type: 'echo', port: 1 },
          badPort: { type: 'echo', port: 70_000 },
          noType: { port: 1 },
          typo: { type: 'ecoh', port: 1 },
          badCore: {
            type: 'echo',
            port: 1,
            dependsOn: 'good',
            autoStart: 'yes',
            restart: 'sometimes',
          },
          notObject: 42,
        },
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      'services.badPort.port',
      'services.noType.type',
      'services.typo.type',
      'services.badCore.dependsOn',
      'services.badCore.autoStart',
      'services.badCore.restart',
      'services.notObject',
    ]);
    expect(problems[1]?.message).toBe('is required: one of echo');
    expect(problems[2]?.message).toMatch(
      /unknown service type 'ecoh'. Known types: echo. Check the spelling or add the plugin that provides it./,
    );
    expect(problems[5]?.message).toBe('must be one of on-failure, always, never');
    expect((error as Error).message).toMatch(
      /invalid configuration \(7 problems\):\n {2}- services\.badPort\.port: /,
    );
    expect((error as ConfigValidationError).code).toBe('INVALID_CONFIG');
  });

  it("with invalidServices: 'skip', one bad entry never takes down the others", async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const corral = await createCorral({
      plugins: [echoPlugin],
      logger,
      invalidServices: 'skip',
      config: { services: { bad: { type: 'echo' }, good: { type: 'echo', port: 8 } } },
    });
    expect(corral.registry.names()).toEqual(['good']);
    expect(corral.problems.map((p) => p.path)).toEqual(['services.bad.port']);
    expect(warnings[0]).toMatch(/skipped invalid service config: services.bad.port/);
    await corral.start();
    expect(corral.orchestrator.getServiceInfo('good').state).toBe('running');
    await corral.stop();
  });

  it('adds a configured service at runtime', async () => {
    const corral = await createCorral({ plugins: [echoPlugin], logger: silentLogger });
    await corral.start();
    await corral.addService('late', { type: 'echo', port: 9 });
    expect(corral.orchestrator.getServiceInfo('late').state).toBe('running');
    await expect(corral.addService('worse', { type: 'echo', port: 'x' })).rejects.toThrow(
      /services.worse.port/,
    );
    await corral.stop();
  });

  it('rejects a plugin listed twice and a service type registered twice', async () => {
    await expect(createCorral({ plugins: [echoPlugin, echoPlugin] })).rejects.toBeInstanceOf(
      DuplicatePluginError,
    );
    const again: CorralPlugin = { ...echoPlugin, id: 'echo-again' };
    const error = await createCorral({ plugins: [echoPlugin, again] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).cause).toBeInstanceOf(DuplicateServiceTypeError);
    expect((error as Error).message).toMatch(
      /plugin 'echo-again' failed in register: plugin 'echo-again' registers service type 'echo', which plugin 'echo' already registered/,
    );
  });

  it('plugins meet through typed tokens: what one provides, a later one resolves; private registrations stay private', async () => {
    const Greeter = createToken<{ greet(name: string): string }>('test.Greeter');
    const Secret = createToken<string>('test.Secret');
    const ToolsToken = createToken<ToolProvider>('test.Tools');
    let resolved = '';
    let secretVisible = true;
    const provider = definePlugin({
      id: 'provider',
      register(ctx) {
        ctx.container.register(Secret, { useValue: 'mine' });
        ctx.provide(Greeter, { useValue: { greet: (n) => `hello ${n}` } });
      },
    });
    const consumer = definePlugin({
      id: 'consumer',
      register(ctx) {
        resolved = ctx.resolve(Greeter).greet('corral');
        secretVisible = ctx.container.isRegistered(Secret, true);
        expect(ctx.resolveAll(ToolsToken)).toEqual([]);
      },
    });
    const corral = await createCorral({ plugins: [provider, consumer], logger: silentLogger });
    expect(resolved).toBe('hello corral');
    expect(secretVisible).toBe(false);
    expect(corral.resolve(Greeter).greet('app')).toBe('hello app');
  });

  it('several plugins can provide tool providers under one token; a consumer resolves them all', async () => {
    const provider = (prefix: string): ToolProvider => ({
      toolPrefix: prefix,
      listTools: () => [{ name: `${prefix}_tool`, inputSchema: { type: 'object' } }],
      callTool: () => Promise.resolve({ content: [{ type: 'text', text: prefix }] }),
      onToolsChanged: () => () => undefined,
    });
    const one = definePlugin({
      id: 'one',
      register: (ctx) => {
        ctx.provide(CoreTokens.ToolProvider, { useValue: provider('one') });
      },
    });
    const two = definePlugin({
      id: 'two',
      register: (ctx) => {
        ctx.provide(CoreTokens.ToolProvider, { useValue: provider('two') });
      },
    });
    let seen: string[] = [];
    const consumer = definePlugin({
      id: 'consumer',
      start: (ctx) => {
        seen = ctx
          .resolveAll(CoreTokens.ToolProvider)
          .flatMap((p) => p.listTools().map((t) => t.name));
      },
      register: () => undefined,
    });
    const corral = await createCorral({ plugins: [one, two, consumer], logger: silentLogger });
    await corral.start();
    expect(seen).toEqual(['one_tool', 'two_tool']);
    await corral.stop();
  });

  it('classes get their dependencies through explicit @inject(token)', async () => {
    @injectable()
    class Reporter {
      constructor(
        @inject(CoreTokens.Orchestrator) readonly orchestrator: { getAllServices(): unknown[] },
      ) {}
      count(): number {
        return this.orchestrator.getAllServices().length;
      }
    }
    const ReporterToken = createToken<Reporter>('test.Reporter');
    const plugin = definePlugin({
      id: 'reporter',
      register(ctx) {
        ctx.provide(ReporterToken, { useClass: Reporter });
      },
    });
    const corral = await createCorral({
      plugins: [echoPlugin, plugin],
      logger: silentLogger,
      config: { services: { a: { type: 'echo', port: 1 } } },
    });
    expect(corral.resolve(ReporterToken).count()).toBe(1);
    expect(corral.resolve(CoreTokens.Orchestrator)).toBe(corral.orchestrator);
  });

  it('runs plugin start before the fleet and stop after it, in reverse order', async () => {
    const log: string[] = [];
    const tracer = (id: string): CorralPlugin => ({
      id,
      register: () => {
        log.push(`${id}.register`);
      },
      start: (ctx) => {
        const states = ctx
          .resolve(CoreTokens.Orchestrator)
          .getAllServices()
          .map((s) => s.state);
        log.push(`${id}.start ${states.join(',')}`);
      },
      stop: (ctx) => {
        const states = ctx
          .resolve(CoreTokens.Orchestrator)
          .getAllServices()
          .map((s) => s.state);
        log.push(`${id}.stop ${states.join(',')}`);
      },
    });
    const corral = await createCorral({
      plugins: [echoPlugin, tracer('one'), tracer('two')],
      logger: silentLogger,
      config: { services: { a: { type: 'echo', port: 1 } } },
    });
    await corral.start();
    await corral.stop();
    await corral.stop();
    expect(log).toEqual([
      'one.register',
      'two.register',
      'one.start unknown',
      'two.start unknown',
      'two.stop stopped',
      'one.stop stopped',
    ]);
  });

  it('a plugin whose register throws is named in the error', async () => {
    const broken = definePlugin({
      id: 'broken',
      register() {
        throw new Error('no config file');
      },
    });
    await expect(createCorral({ plugins: [broken] })).rejects.toThrow(
      "plugin 'broken' failed in register: no config file",
    );
  });
});
