/** Per-method summary: metric means from rows, plus dataset-level detection metrics when a detector ran. */
import { evaluateDetectionRecords } from '../detection/protocol.js';
import { type DetectionRecord, type MethodSummary, type ResultRow, type ResultsHeader, summarize } from './results.js';

export const DETECTION_METRICS = ['ap', 'ap50', 'ap75', 'ar100', 'precision', 'recall', 'f1'] as const;

export function summarizeAll(header: ResultsHeader, rows: ResultRow[], detections: DetectionRecord[]): MethodSummary[] {
  const summary = summarize(header, rows);
  if (!header.detectionSettings || detections.length === 0) return summary;
  const evaluation = evaluateDetectionRecords(detections, header.detectionSettings);
  for (const s of summary) {
    const role = evaluation.roles[s.method];
    if (!role) continue;
    for (const m of DETECTION_METRICS) {
      s.means[m] = role[m];
      s.counts[m] = role.pairs;
    }
    const recovery = evaluation.recoveryAp[s.method];
    s.means.recovery_ap = recovery ?? NaN; // NaN: undefined when blur cost no AP (shown as n/a)
    s.counts.recovery_ap = role.pairs;
  }
  return summary;
}
