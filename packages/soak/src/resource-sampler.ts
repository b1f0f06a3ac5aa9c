import { readdir, readFile } from 'node:fs/promises';
import { descendantsOf } from '@corral/testing';
import type { GatewayProcess } from './gateway-process.js';

/** The gateway's resources at one moment. */
export interface ResourceSample {
  readonly at: number;
  /** Open file descriptors (`/proc/<pid>/fd`). */
  readonly fds: number;
  /** Live descendant processes (children, grandchildren, …). */
  readonly children: number;
  /** Client sessions the aggregator holds (`GET /api/services/gateway` → `data.sessions`). */
  readonly sessions: number;
  /** Resident set size, bytes (`VmRSS` of `/proc/<pid>/status`). */
  readonly rss: number;
  /** JS heap in use, bytes (from the heap probe; after two full GCs for a baseline or end sample). */
  readonly heap: number;
}

async function fdCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

async function vmRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

async function sessionCount(origin: string): Promise<number> {
  const response = await fetch(`${origin}/api/services/gateway`);
  const body = (await response.json()) as { data?: { sessions?: number } };
  return body.data?.sessions ?? -1;
}

/**
 * Samples the gateway every `intervalMs`, and remembers every process that was ever its
 * descendant, for the check that none is left after SIGTERM.
 */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  /** Every descendant pid ever seen. */
  readonly seenPids = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly gateway: GatewayProcess,
    private readonly intervalMs = 1_000,
  ) {}

  /** One sample now; `afterGc` runs two full GCs in the gateway first (baseline and end). */
  async sample(afterGc = false): Promise<ResourceSample> {
    const pid = this.gateway.pid;
    const heap = afterGc ? await this.gateway.heapAfterGc() : await this.gateway.heap();
    const [fds, descendants, sessions, rss] = await Promise.all([
      fdCount(pid),
      descendantsOf(pid),
      sessionCount(this.gateway.origin),
      vmRss(pid),
    ]);
    for (const child of descendants) this.seenPids.add(child);
    const sample: ResourceSample = {
      at: Date.now(),
      fds,
      children: descendants.length,
      sessions,
      rss,
      heap: heap?.heapUsed ?? 0,
    };
    this.samples.push(sample);
    return sample;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.inFlight ??= this.sample()
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          this.inFlight = undefined;
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}
