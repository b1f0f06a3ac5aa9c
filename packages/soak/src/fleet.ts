import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureServer, referenceServer, type SeededRandom } from '@corral/testing';
import { stringify } from 'yaml';

/** What the soak may do to a member besides the generic faults. */
export type MemberRole = 'plain' | 'churn' | 'fail-first' | 'remote';

/** One of the fleet's servers, and the one call the load makes to it. */
export interface FleetMember {
  readonly name: string;
  readonly kind: 'everything' | 'memory' | 'filesystem' | 'fixture';
  readonly transport: 'stdio' | 'streamable-http';
  readonly role: MemberRole;
  /** The tool the load calls (its own name; exposed as `x_<name>_<tool>`). */
  readonly tool: string;
  /** Arguments for call number `n`. */
  args(n: number): Record<string, unknown>;
  /** Whether a successful result is the right one for call number `n`. */
  checkResult(n: number, result: CallResultShape): boolean;
}

export interface CallResultShape {
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly structuredContent?: unknown;
}

/** Liveness pings tight enough that a hung server is noticed within seconds, not a minute. */
export const SOAK_PING = { intervalMs: 2_000, timeoutMs: 3_000, failures: 2 } as const;
/** Seconds a start and each request may take: a hung call ends in a tool error well before a client deadline. */
export const SOAK_SERVER_TIMEOUT_S = 10;
export const SOAK_STOP_GRACE_MS = 1_000;

function textOf(result: CallResultShape): string {
  return (result.content ?? []).map((block) => block.text ?? '').join('');
}

function fixtureMember(name: string, role: MemberRole): FleetMember {
  return {
    name,
    kind: 'fixture',
    transport: role === 'remote' ? 'streamable-http' : 'stdio',
    role,
    tool: 'echo',
    args: (n) => ({ text: `${name}-${n}` }),
    checkResult: (n, result) => {
      const structured = result.structuredContent;
      return (
        typeof structured === 'object' &&
        structured !== null &&
        'text' in structured &&
        structured.text === `${name}-${n}`
      );
    },
  };
}

function everythingMember(name: string): FleetMember {
  return {
    name,
    kind: 'everything',
    transport: 'stdio',
    role: 'plain',
    tool: 'echo',
    args: (n) => ({ message: `${name}-${n}` }),
    checkResult: (n, result) => textOf(result).includes(`${name}-${n}`),
  };
}

function memoryMember(name: string): FleetMember {
  return {
    name,
    kind: 'memory',
    transport: 'stdio',
    role: 'plain',
    tool: 'read_graph',
    args: () => ({}),
    checkResult: (_n, result) => textOf(result).includes('entities'),
  };
}

function filesystemMember(name: string): FleetMember {
  return {
    name,
    kind: 'filesystem',
    transport: 'stdio',
    role: 'plain',
    tool: 'list_allowed_directories',
    args: () => ({}),
    checkResult: (_n, result) => textOf(result).includes('/'),
  };
}

/**
 * The 20 servers: 6 reference servers (2 each of everything, memory, filesystem) and 14
 * fixtures — 10 plain, 2 that churn their tool list, 1 whose next starts can be made to fail —
 * over stdio, plus 1 fixture over streamable HTTP that the soak runs itself (so it can drop
 * its sessions by restarting it on the same port).
 */
export function soakFleet(): FleetMember[] {
  const fixtures = Array.from({ length: 10 }, (_, i) =>
    fixtureMember(`fx${String(i + 1).padStart(2, '0')}`, 'plain'),
  );
  return [
    everythingMember('ev1'),
    everythingMember('ev2'),
    memoryMember('mem1'),
    memoryMember('mem2'),
    filesystemMember('fs1'),
    filesystemMember('fs2'),
    ...fixtures,
    fixtureMember('churn1', 'churn'),
    fixtureMember('churn2', 'churn'),
    fixtureMember('flaky', 'fail-first'),
    fixtureMember('remote', 'remote'),
  ];
}

export interface FleetFiles {
  readonly configPath: string;
  /** The fail-first member's launch counter (`--state-file`). */
  readonly failFirstStateFile: string;
  /** How many starts fail once the counter is reset to 0. */
  readonly failFirstCount: number;
  /** Churn period of each churning member, in ms. */
  readonly churnMs: Readonly<Record<string, number>>;
}

export const FAIL_FIRST_COUNT = 3;

/**
 * Writes the gateway's YAML config for `members` into `dir`. `remoteUrl` is the streamable-HTTP
 * fixture's URL. The fail-first counter starts at its count, so the first launch succeeds and
 * resetting it to 0 makes exactly the next three fail.
 */
export async function writeFleetConfig(
  dir: string,
  members: readonly FleetMember[],
  remoteUrl: string,
  random: SeededRandom,
): Promise<FleetFiles> {
  const failFirstStateFile = join(dir, 'flaky.launches');
  await writeFile(failFirstStateFile, `${FAIL_FIRST_COUNT}\n`);
  const churnMs: Record<string, number> = {};
  const common = {
    timeout: SOAK_SERVER_TIMEOUT_S,
    ping: { ...SOAK_PING },
    stopGraceMs: SOAK_STOP_GRACE_MS,
  };
  const mcpServers: Record<string, unknown> = {};
  for (const member of members) {
    if (member.transport === 'streamable-http') {
      mcpServers[member.name] = { type: 'streamable-http', url: remoteUrl, ...common };
      continue;
    }
    if (member.kind !== 'fixture') {
      const dataDir = join(dir, member.name);
      const { command, args, env } = referenceServer(member.kind, {
        ...(member.kind === 'everything' ? {} : { dir: await mkdirFor(dataDir) }),
      });
      mcpServers[member.name] = { command, args, env, ...common };
      continue;
    }
    let options = {};
    if (member.role === 'churn') {
      const period = 400 + random.int(800);
      churnMs[member.name] = period;
      options = { churnMs: period };
    } else if (member.role === 'fail-first') {
      options = { failFirst: { count: FAIL_FIRST_COUNT, stateFile: failFirstStateFile } };
    }
    const { command, args } = fixtureServer({ name: member.name, tools: 3, ...options });
    mcpServers[member.name] = { command, args, ...common };
  }
  const configPath = join(dir, 'corral.yaml');
  await writeFile(configPath, stringify({ mcpServers }));
  return { configPath, failFirstStateFile, failFirstCount: FAIL_FIRST_COUNT, churnMs };
}

async function mkdirFor(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}
