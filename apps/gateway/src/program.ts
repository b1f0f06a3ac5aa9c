import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  type ClientOptions,
  reportFailure,
  resolveClientOptions,
  runAction,
  runEvents,
  runStatus,
} from './client/index.js';
import { runInit, runValidate } from './config/index.js';
import { ExitCode, type Io } from './io.js';
import { logLevels, type LogLevel } from './serve/reporter.js';
import { loadPlugins } from './serve/gateway.js';
import { runServe, type SignalSource } from './serve/run-serve.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new InvalidArgumentError('give a TCP port number from 0 to 65535 (0 picks a free one)');
  }
  return number;
}

function sequence(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new InvalidArgumentError('give an event sequence number (a whole number ≥ 0)');
  }
  return number;
}

interface ClientFlags {
  url?: string;
  host?: string;
  port?: number;
  token?: string;
  json?: boolean;
}

/** The options every command that talks to a running gateway takes. */
function withClientOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the gateway to talk to (default: $CORRAL_URL or http://127.0.0.1:8090)')
    .option('--host <host>', 'the gateway host (instead of --url)')
    .option('--port <port>', 'the gateway port (instead of --url)', port)
    .option('--token <token>', 'bearer token, if the gateway requires one (default: $CORRAL_TOKEN)')
    .option('--json', 'print JSON instead of text');
}

/**
 * Runs the `corral` command line and resolves with the exit code: 0 ok, 1 runtime failure,
 * 2 bad usage or config. Never exits the process itself.
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  signals: SignalSource = process,
): Promise<ExitCode> {
  let result: ExitCode = ExitCode.ok;
  /** The gateway to talk to, or undefined (with the problem reported) when the flags are bad. */
  const clientOptions = (flags: ClientFlags): ClientOptions | undefined => {
    try {
      return resolveClientOptions(flags, io.env);
    } catch (error) {
      result = reportFailure(io, error);
      return undefined;
    }
  };
  const program = new Command()
    .name('corral')
    .description('Run a fleet of MCP servers and serve them to your agent as one endpoint.')
    .version(version, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 runtime failure, 2 bad usage or config.\n' +
        'Config reference and examples: the @corral/gateway README.',
    );

  program
    .command('serve')
    .description(
      'run the fleet and serve it as one MCP endpoint (without --config: a built-in default fleet)',
    )
    .option(
      '-c, --config <file>',
      'config file, YAML or JSON (a Claude Desktop config works as is)',
    )
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--port <port>', 'port to serve on (default 8090; 0 picks a free one)', port)
    .option('--yolo', 'lift the destructive-tool denylist')
    .option('--stdio', 'serve MCP on stdin/stdout (for clients that launch their servers)')
    .addOption(
      new Option('--log-level <level>', 'least important log level shown')
        .choices(logLevels)
        .default('info'),
    )
    .option('--json', 'log one JSON line per event, even on a terminal')
    .option('--no-watch', 'do not apply config file edits while running')
    .action(
      async (flags: {
        config?: string;
        host?: string;
        port?: number;
        yolo?: boolean;
        stdio?: boolean;
        logLevel: LogLevel;
        json?: boolean;
        watch: boolean;
      }) => {
        result = await runServe(flags, io, signals);
      },
    );

  withClientOptions(
    program
      .command('status')
      .argument('[name]', 'one service, in detail')
      .description("show the fleet's services: state, health, tools, restarts, uptime, last error"),
  ).action(async (name: string | undefined, flags: ClientFlags) => {
    const options = clientOptions(flags);
    if (options === undefined) return;
    result = await runStatus(options, io, {
      ...(flags.json === undefined ? {} : { json: flags.json }),
      ...(name === undefined ? {} : { name }),
    });
  });

  for (const action of ['start', 'stop', 'restart'] as const) {
    withClientOptions(
      program
        .command(action)
        .argument('<name>', 'the service')
        .description(
          action === 'start'
            ? 'start a service (and what it depends on) in the running gateway'
            : action === 'stop'
              ? 'stop a service (its dependents wait for it) in the running gateway'
              : 'restart a service in the running gateway',
        ),
    ).action(async (name: string, flags: ClientFlags) => {
      const options = clientOptions(flags);
      if (options === undefined) return;
      result = await runAction(action, name, options, io, {
        ...(flags.json === undefined ? {} : { json: flags.json }),
      });
    });
  }

  withClientOptions(
    program
      .command('events')
      .description("follow the running gateway's state changes (Ctrl-C to stop)")
      .option('--since <seq>', 'start after this event sequence number', sequence)
      .option('--service <name>', 'only this service'),
  ).action(async (flags: ClientFlags & { since?: number; service?: string }) => {
    const abort = new AbortController();
    const stop = (): void => {
      abort.abort();
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
    try {
      const options = clientOptions(flags);
      if (options === undefined) return;
      result = await runEvents(options, io, {
        ...(flags.json === undefined ? {} : { json: flags.json }),
        ...(flags.since === undefined ? {} : { since: flags.since }),
        ...(flags.service === undefined ? {} : { service: flags.service }),
        signal: abort.signal,
      });
    } finally {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
    }
  });

  program
    .command('validate')
    .argument('<file>', 'the config file')
    .description('check a config file and print every problem with its path')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      result = await runValidate(file, io, {
        ...(flags.json === undefined ? {} : { json: flags.json }),
        loadPlugins,
      });
    });

  program
    .command('init')
    .argument('[file]', 'where to write it', 'corral.yaml')
    .description('write a commented starter config')
    .option('-f, --force', 'overwrite the file if it exists')
    .action(async (file: string, flags: { force?: boolean }) => {
      result = await runInit(file, io, {
        ...(flags.force === undefined ? {} : { force: flags.force }),
      });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help' ||
        error.exitCode === 0
        ? ExitCode.ok
        : ExitCode.usage;
    }
    throw error;
  }
  return result;
}
