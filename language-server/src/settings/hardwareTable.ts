/**
 * The hardware table of docs/costs.md, generated from the catalogue (`npm run gen` rewrites it; the
 * settings-schema test fails when the docs differ).
 */
import { HARDWARE, type Hardware } from '../cost/hardware';

const HEADER = [
  '| id | Device | bf16 dense | fp8 dense | fp4 dense | int8 dense | Memory bandwidth | Memory | Host link | GPU-to-GPU (per direction) | Per node | Source |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
];

/** Exact figure in the row's unit, without float noise (165.2, 1307.4). */
const fig = (x: number, scale: number): string => String(Number((x / scale).toPrecision(6)));

function row(h: Hardware): string {
  const cells = [
    `\`${h.id}\``, h.name,
    `${fig(h.bf16, 1e12)} TFLOP/s`,
    h.fp8 === null ? '— (uses bf16)' : `${fig(h.fp8, 1e12)} TFLOP/s`,
    h.fp4 === null ? '—' : `${fig(h.fp4, 1e12)} TFLOP/s`,
    h.int8 === null ? '—' : `${fig(h.int8, 1e12)} TOPS`,
    `${fig(h.bandwidth, 1e9)} GB/s`,
    `${fig(h.memory, 1e9)} GB`,
    `${fig(h.hostLink, 1e9)} GB/s ${h.hostLinkName}`,
    h.interconnect.bandwidth ? `${fig(h.interconnect.bandwidth, 1e9)} GB/s ${h.interconnect.name}` : h.interconnect.name,
    String(h.gpusPerNode),
    `${h.estimated ? '**estimate** — ' : ''}${h.source}; interconnect: ${h.interconnect.source}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The markdown table, one row per catalogue entry, without a trailing newline. */
export function hardwareDocsTable(): string {
  return [...HEADER, ...HARDWARE.map(row)].join('\n');
}

/** `markdown` with its hardware table (the block starting at the header line) replaced by the generated one. */
export function replaceHardwareTable(markdown: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(HEADER[0]);
  if (start < 0) throw new Error(`no hardware table (a line '${HEADER[0]}')`);
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return [...lines.slice(0, start), hardwareDocsTable(), ...lines.slice(end)].join('\n');
}
