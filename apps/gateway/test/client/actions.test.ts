import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/client/index.js';
import { captureIo, startGateway, type TestGateway } from './helpers.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({ servers: ['fx'] });
});
afterAll(async () => {
  await gateway.close();
});

const stateOf = (name: string): string => gateway.corral.orchestrator.getServiceInfo(name).state;

describe('corral start|stop|restart NAME', () => {
  it('prints what the gateway did, and 0 also when there was nothing to do', async () => {
    const stop = captureIo();
    expect(await runAction('stop', 'fx', gateway.client(), stop)).toBe(0);
    expect(stop.out()).toBe("service 'fx' stopped (it was running)\n");
    expect(stateOf('fx')).toBe('stopped');

    const again = captureIo();
    expect(await runAction('stop', 'fx', gateway.client(), again)).toBe(0);
    expect(again.out()).toBe("service 'fx' is already stopped\n");

    const start = captureIo();
    expect(await runAction('start', 'fx', gateway.client(), start)).toBe(0);
    expect(start.out()).toBe("service 'fx' started (it was stopped)\n");
    expect(stateOf('fx')).toBe('running');

    const running = captureIo();
    expect(await runAction('start', 'fx', gateway.client(), running)).toBe(0);
    expect(running.out()).toBe("service 'fx' is already running\n");

    const pid = gateway.corral.orchestrator.getServiceInfo('fx').data?.['pid'];
    const restart = captureIo();
    expect(await runAction('restart', 'fx', gateway.client(), restart)).toBe(0);
    expect(restart.out()).toBe("service 'fx' restarted (it was running)\n");
    expect(gateway.corral.orchestrator.getServiceInfo('fx').data?.['pid']).not.toBe(pid);
    for (const io of [stop, again, start, running, restart]) expect(io.err()).toBe('');
  });

  it('--json prints the API action result', async () => {
    const io = captureIo();
    expect(await runAction('start', 'fx', gateway.client(), io, { json: true })).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({
      service: 'fx',
      action: 'start',
      outcome: 'already_running',
      changed: false,
      message: "service 'fx' is already running",
      status: { name: 'fx', state: 'running' },
    });
  });

  it('an unknown name is bad usage (2): the message names the registered services', async () => {
    for (const action of ['start', 'stop', 'restart'] as const) {
      const io = captureIo();
      expect(await runAction(action, 'ghost', gateway.client(), io)).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toBe(
        "corral: service 'ghost' not found. Registered services: fx, gateway. Check the name.\n",
      );
    }
  });
});
