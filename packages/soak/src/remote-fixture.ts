import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixtureServer, freePort, processGroupMembers, waitFor } from '@corral/testing';

/**
 * The fixture over streamable HTTP on a port of the soak's choosing, so it can be killed and
 * started again on the same port: a server restarted behind the gateway's back, which has
 * forgotten every session (as services-mcpserver's "forgotten session" tests do it).
 */
export class RemoteFixture {
  private pid: number | undefined;
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
    const { command, args } = fixtureServer({ name: this.name, tools: 3 });
    const child = spawn(
      command,
      [...args, '--transport', 'streamable-http', '--port', String(this.port)],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error(`the ${this.name} fixture did not spawn`);
    this.pid = pid;
    this.pgids.push(pid);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        seen += chunk;
        if (seen.includes('listening')) resolve();
      });
      child.once('exit', (code) => {
        reject(new Error(`the ${this.name} fixture exited with ${code} before listening`));
      });
    });
    child.stdout.resume();
  }

  /** SIGKILLs the process group and waits until nothing of it is left. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    this.pid = undefined;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitFor(async () => (await processGroupMembers(pid)).length === 0, {
      timeoutMs: 10_000,
      description: `the ${this.name} fixture's group ${pid} to be gone`,
    });
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
