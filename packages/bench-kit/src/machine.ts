import os from 'node:os';
import { round } from './round.js';

/** Where a benchmark ran: results are only comparable on the same machine. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the benchmark began: high means noisy figures. */
  readonly loadAverageAtStart: number[];
  readonly date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    date: new Date().toISOString(),
  };
}

/** One line: CPU · cores · memory · node · platform · date. */
export function machineSummary(machine: MachineInfo): string {
  return (
    `${machine.cpu} · ${machine.cores} cores · ${machine.memoryGiB} GiB · node ${machine.node} · ` +
    `${machine.platform} · ${machine.date}`
  );
}

/** The machine as RESULTS.md's bullet list: CPU, Node, date and load average. */
export function machineMarkdown(machine: MachineInfo): string[] {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB`,
    `- Node: ${machine.node} on ${machine.platform}`,
    `- Date: ${machine.date}`,
    `- Load average at start: ${machine.loadAverageAtStart.join(' ')}`,
  ];
}
