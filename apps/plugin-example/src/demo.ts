/**
 * The demo: three real processes in a dependency chain, db ← api ← web, run by Corral through
 * the `process` plugin. It kills api's whole process group, shows web waiting for it and both
 * coming back through core's retry, then stops everything and checks nothing is left running.
 */
import { createServer } from 'node:net';
import { createCorral, type ServiceStateChangedEvent } from '@corral/core';
import { processPlugin } from './plugin.js';
import { groupHasLiveMembers } from './process-group.js';

/** A tiny TCP server: checks its upstream answers (if it has one), then listens on PORT. */
const serverScript = `
const net = require('node:net');
const { NAME, PORT, UPSTREAM_PORT } = process.env;
function listen() {
  net.createServer((socket) => { socket.on('error', () => {}); socket.end(NAME + ' says hello\\n'); })
    .listen(Number(PORT), '127.0.0.1', () => console.log(NAME + ' listening on ' + PORT));
}
if (UPSTREAM_PORT) {
  const probe = net.connect(Number(UPSTREAM_PORT), '127.0.0.1', () => { probe.resume(); probe.end(); listen(); });
  probe.on('error', (e) => { console.error(NAME + ': upstream ' + UPSTREAM_PORT + ' down: ' + e.message); process.exit(2); });
} else {
  listen();
}
process.on('SIGTERM', () => { console.error(NAME + ': SIGTERM, shutting down'); process.exit(0); });
`;

const STAGE_TIMEOUT_MS = 10_000;
const started = Date.now();

/** Free ports on 127.0.0.1, found by letting the OS pick. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => {
          if (address !== null && typeof address === 'object') resolve(address.port);
          else reject(new Error('no port assigned'));
        });
      });
    });
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** Every event so far, and a way to wait for one that has not come yet. */
class EventLog {
  readonly events: ServiceStateChangedEvent[] = [];
  private waiters: (() => void)[] = [];

  add(event: ServiceStateChangedEvent): void {
    this.events.push(event);
    for (const wake of this.waiters) wake();
  }

  /** Resolves with the first event after `from` (an index) that matches. */
  async waitFor(
    description: string,
    match: (event: ServiceStateChangedEvent) => boolean,
    from = 0,
  ): Promise<ServiceStateChangedEvent> {
    const deadline = Date.now() + STAGE_TIMEOUT_MS;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${description}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, remaining);
        const waiters = this.waiters;
        function wake(): void {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(wake), 1);
          resolve();
        }
        waiters.push(wake);
      });
    }
  }
}

function clock(): string {
  return `+${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(7);
}

function say(message: string): void {
  console.log(`${clock()}  ── ${message}`);
}

function formatEvent(event: ServiceStateChangedEvent, pid: unknown): string {
  const change =
    event.oldState === event.newState
      ? `health ${event.health}`
      : `${event.oldState} → ${event.newState}`;
  const details = [
    event.reason,
    event.newState === 'running' && typeof pid === 'number' ? `pid ${pid}` : undefined,
  ].filter((d) => d !== undefined);
  const indent = '\n' + ' '.repeat(15);
  const error = event.error ? `${indent}error: ${event.error.message.replace(/\n/g, indent)}` : '';
  return (
    `${clock()}  #${String(event.seq).padEnd(3)} ${event.name.padEnd(4)} ${change.padEnd(22)}` +
    (details.length > 0 ? ` (${details.join(', ')})` : '') +
    error
  );
}

async function main(): Promise<number> {
  const [dbPort = 0, apiPort = 0, webPort = 0] = await freePorts(3);
  const node = process.execPath;
  const service = (name: string, port: number, upstream?: number) => ({
    type: 'process',
    command: node,
    args: ['-e', serverScript],
    env: {
      NAME: name,
      PORT: String(port),
      ...(upstream === undefined ? {} : { UPSTREAM_PORT: String(upstream) }),
    },
    stopGraceMs: 1_000,
  });
  const corral = await createCorral({
    plugins: [processPlugin],
    orchestrator: { retry: { initialDelayMs: 500 }, stopTimeoutMs: 5_000 },
    config: {
      services: {
        db: { ...service('db', dbPort), ready: { tcp: dbPort } },
        // api shows the other probe: ready when it prints its "listening" line.
        api: {
          ...service('api', apiPort, dbPort),
          ready: { stdout: 'listening on \\d+' },
          dependsOn: ['db'],
        },
        web: { ...service('web', webPort, apiPort), ready: { tcp: webPort }, dependsOn: ['api'] },
      },
    },
  });

  say(`ports: db ${dbPort}, api ${apiPort}, web ${webPort}; dependencies: db ← api ← web`);
  const log = new EventLog();
  const pids = new Set<number>();
  const subscription = corral.orchestrator.subscribe();
  const printing = (async () => {
    for await (const event of subscription) {
      if (event.kind === 'overflow') {
        console.log(`${clock()}  (missed ${event.dropped} events)`);
        continue;
      }
      const pid = corral.orchestrator.getServiceInfo(event.name).data?.['pid'];
      if (event.newState === 'running' && typeof pid === 'number') pids.add(pid);
      console.log(formatEvent(event, pid));
      log.add(event);
    }
  })();

  let ok = true;
  try {
    say('starting the fleet');
    await corral.start();
    for (const name of ['db', 'api', 'web']) {
      await log.waitFor(`${name} to run`, (e) => e.name === name && e.newState === 'running');
    }

    const apiPid = corral.orchestrator.getServiceInfo('api').data?.['pid'];
    if (typeof apiPid !== 'number') throw new Error('api has no pid');
    const mark = log.events.length;
    say(`all running; killing api's process group (pid ${apiPid}) with SIGKILL`);
    process.kill(-apiPid, 'SIGKILL');

    await log.waitFor(
      'web to wait for api',
      (e) => e.name === 'web' && e.newState === 'waiting' && e.reason === 'dependency',
      mark,
    );
    const apiBack = await log.waitFor(
      'api to run again',
      (e) => e.name === 'api' && e.newState === 'running',
      mark,
    );
    await log.waitFor(
      'web to run again',
      (e) => e.name === 'web' && e.newState === 'running' && e.seq > apiBack.seq,
      mark,
    );
    say('api recovered through retry and web came back after it');
  } catch (error) {
    ok = false;
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const before = corral.orchestrator.getAllServices();
  say('stopping');
  await corral.stop();
  await printing; // the stream ends when the orchestrator has stopped

  const leftovers: number[] = [];
  for (const pid of pids) if (await groupHasLiveMembers(pid)) leftovers.push(pid);
  say(
    leftovers.length === 0
      ? `no process left: all ${pids.size} process groups we started are gone`
      : `STILL RUNNING: process groups ${leftovers.join(', ')}`,
  );

  console.log('\nsummary');
  for (const info of before) {
    const after = corral.orchestrator.getServiceInfo(info.name);
    console.log(
      `  ${info.name.padEnd(4)} ${info.state} → ${after.state}; restarts by retry: ${info.restarts}`,
    );
  }
  console.log(
    `  ${log.events.length} events, ${pids.size} processes started, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return ok && leftovers.length === 0 ? 0 : 1;
}

process.exitCode = await main();
