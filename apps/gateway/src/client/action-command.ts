import { ExitCode, type Io } from '../io.js';
import type { ClientOptions } from './client-options.js';
import { GatewayClient, type ServiceAction } from './gateway-client.js';
import { reportFailure, writeJson } from './report.js';

export interface ActionFlags {
  /** Print the API's action result as JSON. */
  readonly json?: boolean;
}

/**
 * `corral start|stop|restart NAME`: asks the gateway and prints what it did (`service 'memory'
 * stopped (it was running)`, `service 'memory' is already running`). 0 on success, including
 * when there was nothing to do; 2 for an unknown service; 1 for a failed start or no gateway.
 */
export async function runAction(
  action: ServiceAction,
  name: string,
  options: ClientOptions,
  io: Io,
  flags: ActionFlags = {},
): Promise<ExitCode> {
  try {
    const result = await new GatewayClient(options).act(name, action);
    if (flags.json === true) writeJson(io, result);
    else io.stdout.write(`${result.message}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(io, error);
  }
}
