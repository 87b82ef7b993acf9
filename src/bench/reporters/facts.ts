/** The header of a results document as labelled facts, for the header block of every human-readable report. */
import type { Results } from '../results.js';

export interface Fact {
  label: string;
  value: string;
}

export interface FactGroup {
  title: string;
  facts: Fact[];
}

export function reportTitle(results: Results): string {
  return `deblurbench report: ${results.header.suite.name}`;
}

function keyValues(record: Record<string, string | number | boolean | null>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`).join(', ');
}

/**
 * Pairs the results cover ("2 of 12 pairs" after --limit or --shard): every pair run leaves at
 * least one row, a score or a failure, so the rows tell; the header holds the suite size only.
 */
export function pairsStated(results: Results): string {
  const run = new Set(results.rows.map((r) => r.pair)).size;
  const total = results.header.suite.pairCount;
  return run === total ? String(total) : `${run} of ${total}`;
}

export function headerFacts(results: Results): FactGroup[] {
  const { header } = results;
  const { suite, conventions: c, machine } = header;
  const groups: FactGroup[] = [
    {
      title: 'Suite',
      facts: [
        { label: 'Name', value: suite.name },
        { label: 'Parameters', value: keyValues(suite.params) },
        { label: 'Pairs', value: pairsStated(results) },
        { label: 'File list (sha256)', value: suite.fileListHash },
        { label: 'Seed', value: String(header.seed) },
        ...(header.shard ? [{ label: 'Shard', value: `${header.shard.index} of ${header.shard.count}` }] : []),
      ],
    },
    {
      title: 'Conventions',
      facts: [
        { label: 'SSIM mode', value: c.ssimMode },
        { label: 'Colour', value: c.color },
        { label: 'Crop', value: `${c.crop} px` },
        { label: 'Quantisation', value: c.quantize },
        { label: 'Alignment', value: c.align === 'realblur' ? 'realblur (ECC homography + intensity scaling; masked PSNR, mask-weighted SSIM)' : 'none' },
        { label: 'Subset', value: c.subset ?? 'none' },
      ],
    },
  ];
  if (header.detector !== null || header.detectionGroundTruth !== null) {
    groups.push({
      title: 'Detection',
      facts: [
        { label: 'Detector', value: header.detector ?? 'none' },
        { label: 'Ground truth', value: header.detectionGroundTruth ?? 'none' },
      ],
    });
  }
  groups.push({
    title: 'Methods',
    facts: header.methods.map((m) => ({ label: m.spec, value: `${m.backend}, ${m.threads} thread${m.threads === 1 ? '' : 's'}` })),
  });
  groups.push({
    title: 'Environment',
    facts: [
      { label: 'Versions', value: Object.entries(header.versions).map(([k, v]) => `${k} ${v}`).join(', ') || 'unknown' },
      { label: 'Git commit', value: header.gitCommit ?? 'unknown' },
      {
        label: 'Machine',
        value: `${machine.platform}/${machine.arch}, ${machine.cpus} (${machine.cores} cores), ${machine.memoryGb} GB, node ${machine.node}`,
      },
      ...(results.peakRssMb !== null ? [{ label: 'Peak RSS', value: `${Math.round(results.peakRssMb)} MB` }] : []),
      { label: 'Created', value: header.createdAt },
    ],
  });
  return groups;
}
