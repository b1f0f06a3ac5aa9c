import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startFixtureServer, type RunningServer } from '@corral/testing';

/**
 * The fixture over streamable HTTP on a port of the soak's choosing, so it can be killed and
 * started again on the same port: a server restarted behind the gateway's back, which has
 * forgotten every session (as services-mcpserver's "forgotten session" tests do it).
 */
export class RemoteFixture {
  private server: RunningServer | undefined;
  /** Every process group it ever had, for the "nothing left" check. */
  readonly pgids: number[] = [];

  private constructor(
    readonly port: number,
    private readonly name: string,
  ) {}

  static async start(name: string): Promise<RemoteFixture> {
    const fixture = new RemoteFixture(await freePort(), name);
    await fixture.launch();
    return fixture;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  private async launch(): Promise<void> {
    const server = await startFixtureServer({
      name: this.name,
      tools: 3,
      transport: 'streamable-http',
      port: this.port,
    });
    this.server = server;
    this.pgids.push(server.pid);
  }

  /** SIGKILLs the process group and waits until nothing of it is left. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  /** Kill, wait `gapMs`, start again on the same port: every session it knew is gone. */
  async dropSessions(gapMs: number): Promise<void> {
    await this.kill();
    await sleep(gapMs);
    await this.launch();
  }

  close(): Promise<void> {
    return this.kill();
  }
}
