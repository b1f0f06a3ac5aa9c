import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError, ServiceState } from '@corral/core';
import { ConfigFileError, formatProblem, loadConfigFile, resolveConfig } from '../config/index.js';
import type { GatewayConfig } from '../config/types.js';
import { ExitCode, type Io } from '../io.js';
import { GATEWAY_SERVICE_NAME } from '../plugins.js';
import { createDefaultFleet, type DefaultFleet } from './default-fleet.js';
import { Gateway, type ReloadOutcome } from './gateway.js';
import { jsonReporter, type LogLevel, type Reporter, ttyReporter } from './reporter.js';
import { type ConfigWatcher, watchConfigFile } from './watch.js';

export interface ServeFlags {
  readonly config?: string;
  readonly host?: string;
  readonly port?: number;
  readonly yolo?: boolean;
  readonly stdio?: boolean;
  readonly logLevel?: LogLevel;
  readonly json?: boolean;
  /** Watch the config file and apply edits (default true). */
  readonly watch?: boolean;
}

/** The signals `corral serve` reacts to; `process` in the CLI. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

const DEFAULT_FLEET = '(built-in default fleet)';

/**
 * `corral serve`: loads the config (or the built-in default fleet), starts the fleet in
 * dependency order with live progress, serves the aggregated endpoint, applies config edits as
 * they are saved, and stops everything in order on SIGINT/SIGTERM (a second one forces) or when
 * the stdio client leaves. Resolves with the exit code once everything has stopped.
 */
export async function runServe(
  flags: ServeFlags,
  io: Io,
  signals: SignalSource = process,
): Promise<ExitCode> {
  const stdio = flags.stdio === true;
  // With --stdio, stdout carries MCP: everything else goes to stderr.
  const out = stdio ? io.stderr : io.stdout;
  const level = flags.logLevel ?? 'info';
  let gateway: Gateway | undefined;
  const toolsOf = (name: string): number | undefined => gateway?.toolCount(name);
  const reporter: Reporter =
    flags.json === true || io.stderr.isTTY !== true
      ? jsonReporter({ stream: io.stderr, level, toolsOf })
      : ttyReporter({
          stream: io.stderr,
          level,
          toolsOf,
          // no-color.org: set to anything but the empty string.
          color: (io.env['NO_COLOR'] ?? '') === '',
        });
  const log = reporter.logger;

  let fleet: DefaultFleet | undefined;
  let config: GatewayConfig;
  const file = flags.config === undefined ? undefined : resolve(io.cwd, flags.config);
  try {
    if (file === undefined) {
      fleet = await createDefaultFleet();
      config = resolveConfig(
        fleet.config,
        { file: undefined, displayName: DEFAULT_FLEET, baseDir: fleet.dir },
        io.env,
      );
    } else {
      config = await loadConfigFile(file, io);
    }
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    io.stderr.write(`${error.message}\n`);
    await fleet?.dispose();
    return ExitCode.usage;
  }
  for (const warning of config.warnings) log.warn(warning);

  const overrides = {
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.yolo === true ? { yolo: true } : {}),
    // Over stdio, HTTP is served too only when asked for (a port on the command line or in the
    // file), so a client that launches one gateway per window never fights over port 8090.
    ...(stdio
      ? {
          stdio: true,
          http: flags.port !== undefined || config.aggregator['port'] !== undefined,
        }
      : {}),
  };
  try {
    gateway = await Gateway.create(config, { logger: log, overrides });
  } catch (error) {
    if (error instanceof ConfigFileError) {
      io.stderr.write(`${error.message}\n`);
      await fleet?.dispose();
      return ExitCode.usage;
    }
    io.stderr.write(`corral: ${describeError(error)}\n`);
    await fleet?.dispose();
    return ExitCode.failure;
  }
  const running = gateway;
  for (const problem of running.config.problems) {
    log.warn(`skipped: ${formatProblem(problem)}`);
  }

  // Shutdown: the first signal stops the fleet in order; a second one kills what is left.
  let exitCode: ExitCode = ExitCode.ok;
  let stopAsked = false;
  // An object, so TypeScript sees the signal handler change it.
  const shutdown = { forced: false };
  let stopRequested: () => void = () => undefined;
  let forceRequested: () => void = () => undefined;
  const stopRequest = new Promise<void>((wake) => (stopRequested = wake));
  const forceRequest = new Promise<void>((wake) => (forceRequested = wake));
  const onSignal = (): void => {
    if (!stopAsked) {
      stopAsked = true;
      stopRequested();
    } else if (!shutdown.forced) {
      shutdown.forced = true;
      log.warn('second signal: killing every process of the fleet now');
      killEverything(running);
      exitCode = ExitCode.failure;
      forceRequested();
    }
  };
  let watcher: ConfigWatcher | undefined;
  let reloading = Promise.resolve();
  const reload = (why: string): void => {
    if (stopAsked) return;
    if (file === undefined) {
      log.info(`${why}: no config file to reload (running the built-in default fleet)`);
      return;
    }
    reloading = reloading.then(async () => {
      log.info(`${why}: reloading ${file}`);
      try {
        const next = await loadConfigFile(file, io);
        for (const warning of next.warnings) log.warn(warning);
        reportReload(await running.reload(next), log);
      } catch (error) {
        const message = error instanceof ConfigFileError ? error.message : describeError(error);
        log.error(`config not applied, the fleet keeps running as it was: ${message}`);
      }
    });
  };
  const onHangup = (): void => {
    reload('SIGHUP');
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  signals.on('SIGHUP', onHangup);
  const unlisten = running.corral.events.listen((event) => {
    reporter.event(event);
  });

  try {
    const names = running.corral.registry
      .list()
      .filter((service) => service.autoStart)
      .map((service) => service.name);
    log.info(
      `starting ${names.length - 1} service${names.length === 2 ? '' : 's'} from ${file ?? DEFAULT_FLEET}`,
    );
    reporter.beginStartup(names);
    const started = running.start();
    const interrupted = await Promise.race([
      started.then(() => false),
      stopRequest.then(() => true),
    ]);
    reporter.endStartup();
    if (!interrupted) {
      printReady(running, config, out, stdio);
      if (file !== undefined && flags.watch !== false) {
        watcher = await watchConfigFile(file, () => {
          reload('config changed');
        });
      }
      const stdioClosed = stdio
        ? running.aggregator.stdioClosed
        : new Promise<never>(() => undefined);
      await Promise.race([
        stopRequest,
        stdioClosed.then(() => {
          log.info('the stdio client closed the connection');
        }),
      ]);
    }
  } catch (error) {
    reporter.endStartup();
    io.stderr.write(`corral: ${describeError(error)}\n`);
    exitCode = ExitCode.failure;
  }

  watcher?.close();
  stopAsked = true;
  log.info('stopping the fleet (Ctrl-C again to force)');
  const stopping = running.stop();
  await Promise.race([stopping, forceRequest]);
  if (!shutdown.forced) await reloading;
  unlisten();
  signals.off('SIGINT', onSignal);
  signals.off('SIGTERM', onSignal);
  signals.off('SIGHUP', onHangup);
  await fleet?.dispose();
  if (!shutdown.forced) log.info('stopped: no process of the fleet is left');
  return exitCode;
}

function reportReload(outcome: ReloadOutcome, log: Reporter['logger']): void {
  const parts = [
    outcome.added.length > 0 ? `added ${outcome.added.join(', ')}` : '',
    outcome.removed.length > 0 ? `removed ${outcome.removed.join(', ')}` : '',
    outcome.changed.length > 0 ? `restarted ${outcome.changed.join(', ')}` : '',
  ].filter((part) => part !== '');
  log.info(
    parts.length === 0
      ? 'config reloaded: nothing to change'
      : `config reloaded: ${parts.join('; ')}; ${outcome.unchanged.length} untouched`,
  );
  for (const problem of outcome.problems) {
    log.error(`not applied (kept as it was): ${formatProblem(problem)}`);
  }
  for (const what of outcome.needsRestart) {
    log.warn(`${what} changed: restart corral serve to apply it`);
  }
}

/** The last resort after a second signal: SIGKILL every process group the fleet started. */
function killEverything(gateway: Gateway): void {
  for (const service of gateway.corral.registry.list()) {
    const pid = (service as { readonly pid?: unknown }).pid;
    if (typeof pid !== 'number') continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The ready banner: where to point a client, and a config snippet to paste. */
function printReady(
  gateway: Gateway,
  config: GatewayConfig,
  out: Io['stdout'],
  stdio: boolean,
): void {
  const services = gateway.corral.registry
    .list()
    .filter((service) => service.name !== GATEWAY_SERVICE_NAME);
  const up = services.filter((service) => service.state === ServiceState.Running).length;
  const tools = services.reduce((sum, service) => sum + (gateway.toolCount(service.name) ?? 0), 0);
  const down = services.length - up;
  const lines = [
    '',
    `Corral is serving ${up} of ${services.length} service${services.length === 1 ? '' : 's'} ` +
      `(${tools} tools)${down > 0 ? ` — ${down} not running: see \`corral status\`` : ''}.`,
  ];
  const url = gateway.url;
  if (url !== undefined) {
    const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
    const port = new URL(url).port;
    const manage = `corral status${port === '8090' ? '' : ` --port ${port}`}`;
    const stdioArgs = [cli, 'serve', '--stdio', ...(config.file ? ['--config', config.file] : [])];
    lines.push(
      '',
      `  MCP endpoint (streamable HTTP):  ${url}`,
      `  Dashboard:                       ${new URL('/', url).href}`,
      `  Management API:                  ${new URL('/api/services', url).href}`,
      '',
      'Point an MCP client at it — VS Code (.vscode/mcp.json):',
      `  { "servers": { "corral": { "type": "http", "url": "${url}" } } }`,
      'Cursor (~/.cursor/mcp.json), Claude Code (.mcp.json):',
      `  { "mcpServers": { "corral": { "type": "http", "url": "${url}" } } }`,
      'Claude Desktop (claude_desktop_config.json; it starts its own gateway over stdio):',
      `  { "mcpServers": { "corral": { "command": ${JSON.stringify(process.execPath)}, "args": ${JSON.stringify(stdioArgs)} } } }`,
      '',
      `Try: ${manage} · ${manage.replace('status', 'events')} · Ctrl-C stops the fleet.`,
    );
  } else if (stdio) {
    lines.push('Serving MCP over stdio.');
  }
  out.write(lines.join('\n') + '\n');
}
