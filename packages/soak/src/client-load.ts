import { setTimeout as sleep } from 'node:timers/promises';
import {
  Client,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { seededRandom, type SeededRandom } from '@corral/testing';
import type { FleetMember } from './fleet.js';

/**
 * How one call ended, from the client's side:
 * - `ok`: a result, and the right one;
 * - `tool-error`: a result with `isError` (the gateway's "could not call …" and the like);
 * - `protocol-error`: an MCP error answer (e.g. "Unknown tool …: no running server offers it");
 * - `wrong-result`: a result that is not what the server answers to these arguments;
 * - `deadline`: no answer before the call's deadline;
 * - `transport-error`: the HTTP exchange itself failed (no MCP answer at all).
 */
export type CallOutcome =
  'ok' | 'tool-error' | 'protocol-error' | 'wrong-result' | 'deadline' | 'transport-error';

export interface CallRecord {
  readonly session: string;
  /** The backend the call is for (`list` calls go to the gateway itself). */
  readonly service: string;
  readonly tool: string;
  readonly start: number;
  readonly end: number;
  readonly deadlineMs: number;
  readonly outcome: CallOutcome;
  /** Error text, for everything but `ok`. */
  readonly message?: string;
}

export interface LoadOptions {
  readonly url: string;
  readonly members: readonly FleetMember[];
  readonly seed: number;
  /** Long-lived sessions, each with `concurrency` calls in flight. */
  readonly sessions: number;
  readonly concurrency: number;
  /** Pause between one worker's calls, in ms. */
  readonly thinkMs: number;
  /** Every call's deadline, in ms. */
  readonly deadlineMs: number;
}

interface OpenSession {
  readonly id: string;
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Steady load on the gateway from several MCP client sessions: each keeps `concurrency` calls
 * in flight to backends picked by a seeded random source, every call with its own deadline; a
 * further "visitor" session is opened, used for a few calls and closed (DELETE) over and over,
 * so a leaked session would show. Every call is recorded.
 */
export class ClientLoad {
  readonly calls: CallRecord[] = [];
  /** `notifications/tools/list_changed` received, over all sessions. */
  toolListChanges = 0;
  sessionsOpened = 0;
  private readonly open = new Set<OpenSession>();
  private running = false;
  private paused = false;
  private readonly workers: Promise<void>[] = [];
  private counter = 0;

  constructor(private readonly options: LoadOptions) {}

  private async connect(id: string): Promise<OpenSession> {
    const client = new Client({ name: `soak-${id}`, version: '1.0.0' });
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      this.toolListChanges++;
    });
    const transport = new StreamableHTTPClientTransport(new URL(this.options.url));
    await client.connect(transport);
    this.sessionsOpened++;
    const session = { id, client, transport };
    this.open.add(session);
    return session;
  }

  private async disconnect(session: OpenSession): Promise<void> {
    this.open.delete(session);
    try {
      await session.transport.terminateSession();
    } catch {
      // the gateway may be gone; close anyway
    }
    await session.client.close();
  }

  /** Opens the long-lived sessions and starts every worker. */
  async start(): Promise<void> {
    const sessions = await Promise.all(
      Array.from({ length: this.options.sessions }, (_, i) => this.connect(`s${i + 1}`)),
    );
    this.running = true;
    sessions.forEach((session, i) => {
      for (let w = 0; w < this.options.concurrency; w++) {
        const random = seededRandom(this.options.seed * 1_000 + i * 10 + w);
        this.workers.push(this.work(session, random));
      }
    });
    this.workers.push(this.visit(seededRandom(this.options.seed * 1_000 + 999)));
  }

  /** Holds new calls (in-flight ones finish), e.g. while resources settle for a baseline. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Stops every worker after its call in flight and closes every session. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    await Promise.all([...this.open].map((session) => this.disconnect(session)));
  }

  /** Long-lived sessions open now. */
  get openSessions(): number {
    return this.open.size;
  }

  private async idle(random: SeededRandom): Promise<void> {
    const ms = this.options.thinkMs / 2 + random.int(this.options.thinkMs + 1);
    await sleep(ms);
    while (this.paused && this.running) await sleep(50);
  }

  /** Read through a method: it changes while a worker awaits. */
  private active(): boolean {
    return this.running;
  }

  private async work(session: OpenSession, random: SeededRandom): Promise<void> {
    while (this.active()) {
      await this.idle(random);
      if (!this.active()) break;
      await this.oneCall(session, random);
    }
  }

  /** A session that lives for three calls, then is closed with DELETE, again and again. */
  private async visit(random: SeededRandom): Promise<void> {
    let n = 0;
    while (this.active()) {
      await this.idle(random);
      if (!this.active()) break;
      let session: OpenSession;
      try {
        session = await this.connect(`v${++n}`);
      } catch (error) {
        const now = Date.now();
        this.calls.push({
          session: `v${n}`,
          service: 'gateway',
          tool: 'initialize',
          start: now,
          end: now,
          deadlineMs: this.options.deadlineMs,
          outcome: 'transport-error',
          message: messageOf(error),
        });
        continue;
      }
      for (let i = 0; i < 3 && this.active(); i++) await this.oneCall(session, random);
      await this.disconnect(session);
    }
  }

  /** One call: mostly a tool call to a random backend, sometimes `tools/list`. */
  private async oneCall(session: OpenSession, random: SeededRandom): Promise<void> {
    const n = ++this.counter;
    const deadlineMs = this.options.deadlineMs;
    const signal = AbortSignal.timeout(deadlineMs);
    const start = Date.now();
    const record = (
      service: string,
      tool: string,
      outcome: CallOutcome,
      message?: string,
    ): void => {
      this.calls.push({
        session: session.id,
        service,
        tool,
        start,
        end: Date.now(),
        deadlineMs,
        outcome,
        ...(message === undefined ? {} : { message }),
      });
    };
    if (random.next() < 0.1) {
      try {
        await session.client.listTools(undefined, { signal, timeout: deadlineMs });
        record('gateway', 'tools/list', 'ok');
      } catch (error) {
        record('gateway', 'tools/list', classifyThrown(error, signal), messageOf(error));
      }
      return;
    }
    const member = random.pick(this.options.members);
    const exposed = `x_${member.name}_${member.tool}`;
    try {
      const result = await session.client.callTool(
        { name: exposed, arguments: member.args(n) },
        { signal, timeout: deadlineMs },
      );
      if (result.isError === true) {
        const text = result.content.map((block) => ('text' in block ? block.text : '')).join('');
        record(member.name, member.tool, 'tool-error', text);
      } else if (!member.checkResult(n, result)) {
        record(member.name, member.tool, 'wrong-result', JSON.stringify(result).slice(0, 300));
      } else {
        record(member.name, member.tool, 'ok');
      }
    } catch (error) {
      record(member.name, member.tool, classifyThrown(error, signal), messageOf(error));
    }
  }
}

function classifyThrown(error: unknown, signal: AbortSignal): CallOutcome {
  if (signal.aborted) return 'deadline';
  if (SdkError.isInstance(error) && error.code === SdkErrorCode.RequestTimeout) return 'deadline';
  // An MCP error the gateway answered with, e.g. "Unknown tool …".
  if (ProtocolError.isInstance(error)) return 'protocol-error';
  return 'transport-error';
}
