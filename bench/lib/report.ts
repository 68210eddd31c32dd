import { cpus, loadavg, release, totalmem } from 'node:os';
import type { ScenarioResult } from './context.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface Report {
  machine: Machine;
  P: { perSecond: number };
  peer: { perSecond: number | null };
  scenarios: ScenarioResult[];
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const fmt = (value: number | null, digits = 2) =>
  value === null ? '—' : value.toLocaleString('en', { maximumFractionDigits: digits });

const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL');

/** The results as a Markdown table (the terminal and the README show the same one). */
export function table(report: Report): string {
  const lines = [
    `- P (raw undici): ${fmt(report.P.perSecond, 0)}/s · peer (BullMQ + undici): ${report.peer.perSecond === null ? 'not available' : `${fmt(report.peer.perSecond, 0)}/s`}`,
    `- machine: ${report.machine.cores} × ${report.machine.cpu}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, load ${report.machine.loadAverageAtStart.join(' ')} at start`,
    '',
    '| scenario | value | unit | × P | × peer | target | result |',
    '|---|---:|---|---:|---:|---|---|',
  ];
  for (const s of report.scenarios) {
    lines.push(
      `| ${s.name} | ${fmt(s.value)} | ${s.unit} | ${fmt(s.ratioToP)} | ${fmt(s.ratioToPeer)} | ${s.target} | ${verdict(s.pass)} |`,
    );
  }
  return lines.join('\n');
}
