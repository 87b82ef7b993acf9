/**
 * COCO box evaluation that reproduces pycocotools 2.0.x `COCOeval(gt, dt, 'bbox')` —
 * evaluate(), accumulate(), summarize() — number for number (tested to 1e-9 against
 * pycocotools 2.0.11; the arithmetic follows the same operation order, so agreement is
 * normally exact).
 *
 * What is reproduced:
 * - IoU thresholds numpy `linspace(.5, .95, 10)` and recall points `linspace(0, 1, 101)`, with
 *   numpy's formula (`start + i·step`, last point = stop), so 0.8999999999999999 and `i·0.01`;
 *   maxDets [1, 10, 100]; area ranges all/small/medium/large = [0, 1e10], [0, 32²], [32², 96²],
 *   [96², 1e10], both ends inclusive, on the ground truth's `area` and the detection's w·h.
 * - Categories and images are those of the ground truth (`categories` and `images` lists, sorted
 *   by id); detections of other categories cost nothing; GT boxes whose image or category is not
 *   listed are not evaluated.
 * - Ignored ground truth = `iscrowd` (the `ignore` field has no effect: pycocotools overwrites it)
 *   or area outside the range. IoU without +1; for crowd GT the union is the detection's area.
 * - Per image and category, detections stably sorted by descending score and cut to the largest
 *   maxDet; ground truth stably sorted with ignored boxes last; pycocotools' greedy matching loop
 *   (threshold capped at 1 − 1e-10; stop at the first ignored GT once a regular GT is matched;
 *   crowd GT can absorb many detections).
 * - accumulate(): detections of a category concatenated in image-id order (each image cut to
 *   maxDet), stable sort by descending score, cumulative TP/FP, rc = tp/nGT,
 *   pr = tp/(tp + fp + 2⁻⁵²), right-to-left max envelope, precision at each recall point taken at
 *   numpy `searchsorted(rc, r, side='left')` (0 past the highest recall reached); −1 where a
 *   category has no non-ignored GT.
 * - summarize(): means over entries > −1 with numpy's pairwise summation order (−1 when there
 *   are none), in pycocotools' order: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl.
 *
 * Deliberate difference: an empty detection list makes pycocotools crash (loadRes reads
 * `anns[0]`); here it is simply "no detections": precision and recall 0 wherever the category has
 * ground truth, −1 elsewhere (so AP = 0 when there is any ground truth).
 *
 * Ignored detections (matched to an ignored GT, or unmatched and outside the area range) add
 * neither a TP nor an FP; pycocotools keeps them as repeated points of the cumulative curves,
 * which never changes the envelope or the recall-point lookup, so they are skipped here.
 */
import { UserError } from '../core/errors.js';
import { type CocoDetection, type CocoGroundTruth, checkDetectionImages } from './coco-json.js';

/** numpy.linspace(start, stop, num) with endpoint, reproducing its doubles exactly. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(step === 0 ? ((i / (num - 1)) * (stop - start)) + start : i * step + start);
  out[num - 1] = stop;
  return out;
}

/** pycocotools' iouThrs: linspace(.5, .95, 10) — note 0.8999999999999999. */
export const IOU_THRESHOLDS: readonly number[] = Object.freeze(linspace(0.5, 0.95, 10));
/** pycocotools' recThrs: linspace(0, 1, 101), i.e. exactly i·0.01. */
export const RECALL_THRESHOLDS: readonly number[] = Object.freeze(linspace(0, 1, 101));
export const DEFAULT_MAX_DETS: readonly number[] = Object.freeze([1, 10, 100]);
export const AREA_LABELS = ['all', 'small', 'medium', 'large'] as const;
export const AREA_RANGES: readonly (readonly [number, number])[] = Object.freeze([
  [0, 1e10],
  [0, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e10],
] as const);
/** Names of the 12 summary numbers, in pycocotools' order. */
export const STAT_NAMES = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'] as const;

/** numpy's `np.spacing(1)`. */
const EPS = 2.220446049250313e-16;
const FP = 0;
const TP = 1;
const IGNORED = 2;

export interface CocoEvalOptions {
  /** false: pool all categories (pycocotools useCats=0). Default true. */
  useCats?: boolean;
  /** Three distinct positive integers (sorted, as pycocotools does). Default [1, 10, 100]. */
  maxDets?: number[];
}

export interface CocoCategoryResult {
  categoryId: number;
  name: string;
  /** Non-ignored ground-truth boxes (area "all"). */
  groundTruth: number;
  /** Detections kept for this category (top largest-maxDet per image). */
  detections: number;
  /** −1 when the category has no (non-ignored) ground truth. */
  AP: number;
  AP50: number;
  AP75: number;
  AR100: number;
}

export interface CocoEvalResult {
  /** The 12 pycocotools summary numbers, in pycocotools' order (see `names`). */
  stats: number[];
  names: string[];
  /** The pycocotools summarize() text, 12 lines. */
  summary: string;
  iouThresholds: readonly number[];
  recallThresholds: readonly number[];
  maxDets: number[];
  areaLabels: readonly string[];
  /** Evaluated category ids (sorted); [-1] when useCats is false. */
  categoryIds: number[];
  /** pycocotools eval['precision'], shape [T, R, K, A, M], row-major; −1 for empty entries. */
  precision: Float64Array;
  /** pycocotools eval['recall'], shape [T, K, A, M], row-major; −1 for empty entries. */
  recall: Float64Array;
  shape: { T: number; R: number; K: number; A: number; M: number };
  /** Per category: AP, AP50, AP75 and AR100 at area "all" (empty when useCats is false). */
  perCategory: CocoCategoryResult[];
  counts: { images: number; annotations: number; detections: number };
}

/** numpy's pairwise summation of a[lo, lo + n) (float64 add.reduce on a contiguous array). */
function pairwiseSum(a: Float64Array, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[lo], r1 = a[lo + 1], r2 = a[lo + 2], r3 = a[lo + 3];
    let r4 = a[lo + 4], r5 = a[lo + 5], r6 = a[lo + 6], r7 = a[lo + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = lo + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[lo + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, lo, n2) + pairwiseSum(a, lo + n2, n - n2);
}

/** np.mean(v[v > -1]) over the given flat indices (in order), or −1 when none qualify. */
function meanValid(values: Float64Array, indices: Iterable<number>, scratch: Float64Array): number {
  let n = 0;
  for (const i of indices) {
    const v = values[i];
    if (v > -1) scratch[n++] = v;
  }
  return n === 0 ? -1 : pairwiseSum(scratch, 0, n) / n;
}

function* range5(T: number[], R: number[], K: number[], a: number, m: number, dims: { R: number; K: number; A: number; M: number }): Generator<number> {
  for (const t of T) for (const r of R) for (const k of K) yield (((t * dims.R + r) * dims.K + k) * dims.A + a) * dims.M + m;
}

function* range4(T: number[], K: number[], a: number, m: number, dims: { K: number; A: number; M: number }): Generator<number> {
  for (const t of T) for (const k of K) yield ((t * dims.K + k) * dims.A + a) * dims.M + m;
}

const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Python's '{:0.Nf}'.format(x): like toFixed, but exact binary ties round half to even. */
export function pyFixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  // A tie (x·10^d exactly half-way) needs x = odd / 2^(d+1); scaling by a power of two is exact.
  const scaled = x * 2 ** (digits + 1);
  if (!Number.isInteger(scaled) || Math.abs(scaled) % 2 !== 1 || Math.abs(x) >= 2 ** 40) return s;
  const k = Math.floor(Math.abs(x) * 10 ** digits); // exact: |x|·10^d = odd·5^d / 2
  const even = k % 2 === 0 ? k : k + 1;
  const int = Math.floor(even / 10 ** digits);
  const frac = String(even - int * 10 ** digits).padStart(digits, '0');
  return `${x < 0 ? '-' : ''}${int}${digits > 0 ? `.${frac}` : ''}`;
}

/** pycocotools' summarize() lines for 12 stats. */
export function formatSummary(stats: readonly number[], maxDets: readonly number[] = DEFAULT_MAX_DETS): string {
  const rows: [boolean, string, string, number][] = [
    [true, '0.50:0.95', 'all', maxDets[2]],
    [true, '0.50', 'all', maxDets[2]],
    [true, '0.75', 'all', maxDets[2]],
    [true, '0.50:0.95', 'small', maxDets[2]],
    [true, '0.50:0.95', 'medium', maxDets[2]],
    [true, '0.50:0.95', 'large', maxDets[2]],
    [false, '0.50:0.95', 'all', maxDets[0]],
    [false, '0.50:0.95', 'all', maxDets[1]],
    [false, '0.50:0.95', 'all', maxDets[2]],
    [false, '0.50:0.95', 'small', maxDets[2]],
    [false, '0.50:0.95', 'medium', maxDets[2]],
    [false, '0.50:0.95', 'large', maxDets[2]],
  ];
  return rows
    .map(([ap, iou, area, md], i) => {
      const title = (ap ? 'Average Precision' : 'Average Recall').padEnd(18);
      return ` ${title} ${ap ? '(AP)' : '(AR)'} @[ IoU=${iou.padEnd(9)} | area=${area.padStart(6)} | maxDets=${String(md).padStart(3)} ] = ${pyFixed(stats[i], 3)}`;
    })
    .join('\n');
}

function checkMaxDets(maxDets: number[] | undefined): number[] {
  if (maxDets === undefined) return [...DEFAULT_MAX_DETS];
  const sorted = [...maxDets].sort((a, b) => a - b);
  if (sorted.length !== 3 || !sorted.every((m) => Number.isInteger(m) && m > 0) || new Set(sorted).size !== 3) {
    throw new UserError(`maxDets must be three distinct positive integers (got ${JSON.stringify(maxDets)})`);
  }
  return sorted;
}

/** Stable order of `idx` by descending score (ties keep their order in `idx`). */
function sortByScoreDesc(idx: number[], score: Float64Array): number[] {
  const pos = idx.map((_, i) => i);
  pos.sort((a, b) => score[idx[b]] - score[idx[a]] || a - b);
  return pos.map((p) => idx[p]);
}

/**
 * COCO box evaluation of `dets` against `gt` (see the module comment for the exact rules).
 * Throws a UserError for a detection whose image is not in the ground truth.
 */
export function evaluateCoco(gt: CocoGroundTruth, dets: readonly CocoDetection[], opts: CocoEvalOptions = {}): CocoEvalResult {
  const useCats = opts.useCats ?? true;
  const maxDets = checkMaxDets(opts.maxDets);
  const maxDetAll = maxDets[2];
  checkDetectionImages(gt, dets);

  const T = IOU_THRESHOLDS.length;
  const R = RECALL_THRESHOLDS.length;
  const A = AREA_RANGES.length;
  const M = maxDets.length;
  const thr = new Float64Array(T);
  for (let t = 0; t < T; t++) thr[t] = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);

  // Images and categories of the ground truth, sorted and de-duplicated (np.unique).
  const imgIds = [...new Set(gt.images.map((im) => im.id))].sort((a, b) => a - b);
  const catIdsAll = [...new Set(gt.categories.map((c) => c.id))].sort((a, b) => a - b);
  const imgIndex = new Map(imgIds.map((id, i) => [id, i]));
  const catIndex = new Map(catIdsAll.map((id, k) => [id, k]));
  const I = imgIds.length;
  const K = useCats ? catIdsAll.length : 1;
  const categoryIds = useCats ? catIdsAll : [-1];

  // --- ground truth in flat arrays; cells keyed k·I + image -----------------------------------
  const nGtAll = gt.annotations.length;
  const gBox = new Float64Array(4 * nGtAll);
  const gArea = new Float64Array(nGtAll);
  const gCrowd = new Uint8Array(nGtAll);
  const gCat = new Int32Array(nGtAll);
  const gtCells = new Map<number, number[]>();
  const gtOrder: number[] = [];
  for (let j = 0; j < nGtAll; j++) {
    const a = gt.annotations[j];
    const i = imgIndex.get(a.image_id);
    const k = catIndex.get(a.category_id);
    if (i === undefined || k === undefined) continue;
    if (a.id === 0) throw new UserError(`ground-truth annotation ids must be non-zero (annotation ${j} has id 0)`);
    const b = a.bbox;
    gBox[4 * j] = b[0];
    gBox[4 * j + 1] = b[1];
    gBox[4 * j + 2] = b[2];
    gBox[4 * j + 3] = b[3];
    gArea[j] = a.area ?? b[2] * b[3];
    gCrowd[j] = a.iscrowd ? 1 : 0;
    gCat[j] = k;
    gtOrder.push(j);
  }
  // useCats=false pools an image's boxes in category order (pycocotools concatenates per catId).
  if (!useCats) gtOrder.sort((x, y) => gCat[x] - gCat[y] || x - y);
  for (const j of gtOrder) {
    const key = useCats ? gCat[j] * I + (imgIndex.get(gt.annotations[j].image_id) as number) : (imgIndex.get(gt.annotations[j].image_id) as number);
    const list = gtCells.get(key);
    if (list) list.push(j);
    else gtCells.set(key, [j]);
  }

  // --- detections ------------------------------------------------------------------------------
  const nDtAll = dets.length;
  const dBox = new Float64Array(4 * nDtAll);
  const dScore = new Float64Array(nDtAll);
  const dCat = new Int32Array(nDtAll);
  const dtOrder: number[] = [];
  for (let j = 0; j < nDtAll; j++) {
    const d = dets[j];
    const k = catIndex.get(d.category_id);
    if (k === undefined) continue; // category absent from the ground truth: not evaluated
    const b = d.bbox;
    dBox[4 * j] = b[0];
    dBox[4 * j + 1] = b[1];
    dBox[4 * j + 2] = b[2];
    dBox[4 * j + 3] = b[3];
    dScore[j] = d.score;
    dCat[j] = k;
    dtOrder.push(j);
  }
  if (!useCats) dtOrder.sort((x, y) => dCat[x] - dCat[y] || x - y);
  const dtCells = new Map<number, number[]>();
  for (const j of dtOrder) {
    const i = imgIndex.get(dets[j].image_id) as number;
    const key = useCats ? dCat[j] * I + i : i;
    const list = dtCells.get(key);
    if (list) list.push(j);
    else dtCells.set(key, [j]);
  }

  // Cells in (category, image id) order: exactly the order accumulate() concatenates them.
  const cellKeys = [...new Set([...gtCells.keys(), ...dtCells.keys()])].sort((a, b) => a - b);

  // Kept detections get consecutive slots, category by category, image by image, rank by rank.
  const slotCount = (() => {
    let n = 0;
    for (const list of dtCells.values()) n += Math.min(list.length, maxDetAll);
    return n;
  })();
  const slotScore = new Float64Array(slotCount);
  const slotRank = new Int32Array(slotCount);
  const state = new Uint8Array(A * T * slotCount); // [a][t][slot]: FP / TP / IGNORED
  const catStart = new Int32Array(K + 1);
  const npig = new Float64Array(K * A); // non-ignored GT per category and area range

  // Scratch buffers, grown on demand.
  let iouBuf = new Float64Array(64);
  let iouSorted = new Float64Array(64);
  let gOrder = new Int32Array(16);
  let gIgn = new Uint8Array(16);
  let gCrowdS = new Uint8Array(16);
  let gTaken = new Uint8Array(16);
  let dOut = new Uint8Array(16);

  let slot = 0;
  let lastK = 0;
  for (const key of cellKeys) {
    const k = useCats ? Math.floor(key / I) : 0;
    while (lastK < k) catStart[++lastK] = slot;
    const gl = gtCells.get(key) ?? [];
    const dlAll = dtCells.get(key) ?? [];
    const dl = dlAll.length > 1 ? sortByScoreDesc(dlAll, dScore) : dlAll;
    const G = gl.length;
    const D = Math.min(dl.length, maxDetAll);
    if (D * G > iouBuf.length) {
      iouBuf = new Float64Array(2 * D * G);
      iouSorted = new Float64Array(2 * D * G);
    }
    if (G > gOrder.length) {
      gOrder = new Int32Array(2 * G);
      gIgn = new Uint8Array(2 * G);
      gCrowdS = new Uint8Array(2 * G);
      gTaken = new Uint8Array(2 * G);
    }
    if (D > dOut.length) dOut = new Uint8Array(2 * D);

    // IoU matrix D×G (pycocotools' bbox IoU: no +1; crowd union = detection area).
    for (let d = 0; d < D; d++) {
      const jd = dl[d];
      const dx = dBox[4 * jd], dy = dBox[4 * jd + 1], dw = dBox[4 * jd + 2], dh = dBox[4 * jd + 3];
      const da = dw * dh;
      for (let g = 0; g < G; g++) {
        const jg = gl[g];
        const gx = gBox[4 * jg], gy = gBox[4 * jg + 1], gw = gBox[4 * jg + 2], gh = gBox[4 * jg + 3];
        let v = 0;
        const w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
        if (w > 0) {
          const h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
          if (h > 0) {
            const inter = w * h;
            v = inter / (gCrowd[jg] ? da : da + gw * gh - inter);
          }
        }
        iouBuf[d * G + g] = v;
      }
    }

    for (let d = 0; d < D; d++) {
      slotScore[slot + d] = dScore[dl[d]];
      slotRank[slot + d] = d;
    }

    for (let a = 0; a < A; a++) {
      const lo = AREA_RANGES[a][0];
      const hi = AREA_RANGES[a][1];
      // Ground truth: non-ignored first, then ignored, each in their original order.
      let n = 0;
      for (let g = 0; g < G; g++) {
        const jg = gl[g];
        if (!(gCrowd[jg] || gArea[jg] < lo || gArea[jg] > hi)) gOrder[n++] = g;
      }
      const regular = n;
      for (let g = 0; g < G; g++) {
        const jg = gl[g];
        if (gCrowd[jg] || gArea[jg] < lo || gArea[jg] > hi) gOrder[n++] = g;
      }
      for (let s = 0; s < G; s++) {
        gIgn[s] = s >= regular ? 1 : 0;
        gCrowdS[s] = gCrowd[gl[gOrder[s]]];
      }
      npig[k * A + a] += regular;
      for (let d = 0; d < D; d++) {
        const row = d * G;
        for (let s = 0; s < G; s++) iouSorted[row + s] = iouBuf[row + gOrder[s]];
        const area = dBox[4 * dl[d] + 2] * dBox[4 * dl[d] + 3];
        dOut[d] = area < lo || area > hi ? 1 : 0;
      }

      for (let t = 0; t < T; t++) {
        const out = (a * T + t) * slotCount + slot;
        gTaken.fill(0, 0, G);
        for (let d = 0; d < D; d++) {
          let best = thr[t];
          let m = -1;
          const row = d * G;
          for (let s = 0; s < G; s++) {
            if (gTaken[s] && !gCrowdS[s]) continue;
            if (m > -1 && gIgn[m] === 0 && gIgn[s] === 1) break;
            const v = iouSorted[row + s];
            if (v < best) continue;
            best = v;
            m = s;
          }
          if (m === -1) {
            state[out + d] = dOut[d] ? IGNORED : FP;
          } else {
            gTaken[m] = 1;
            state[out + d] = gIgn[m] ? IGNORED : TP;
          }
        }
      }
    }
    slot += D;
  }
  while (lastK < K) catStart[++lastK] = slot;

  // --- accumulate ------------------------------------------------------------------------------
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  let rc = new Float64Array(256);
  let pr = new Float64Array(256);
  const perCatDets = new Int32Array(K);
  for (let k = 0; k < K; k++) {
    const s0 = catStart[k];
    const s1 = catStart[k + 1];
    perCatDets[k] = s1 - s0;
    const order = new Int32Array(s1 - s0);
    for (let i = 0; i < order.length; i++) order[i] = s0 + i;
    order.sort((x, y) => slotScore[y] - slotScore[x] || x - y);
    if (order.length > rc.length) {
      rc = new Float64Array(order.length);
      pr = new Float64Array(order.length);
    }
    for (let a = 0; a < A; a++) {
      const nGt = npig[k * A + a];
      if (nGt === 0) continue;
      for (let mi = 0; mi < M; mi++) {
        const md = maxDets[mi];
        for (let t = 0; t < T; t++) {
          const base = (a * T + t) * slotCount;
          let tp = 0;
          let fp = 0;
          let nd = 0;
          for (let i = 0; i < order.length; i++) {
            const sl = order[i];
            if (slotRank[sl] >= md) continue;
            const st = state[base + sl];
            if (st === IGNORED) continue;
            if (st === TP) tp++;
            else fp++;
            rc[nd] = tp / nGt;
            pr[nd] = tp / (fp + tp + EPS);
            nd++;
          }
          recall[((t * K + k) * A + a) * M + mi] = nd > 0 ? rc[nd - 1] : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
          let p = 0;
          for (let r = 0; r < R; r++) {
            const rt = RECALL_THRESHOLDS[r];
            while (p < nd && rc[p] < rt) p++;
            precision[(((t * R + r) * K + k) * A + a) * M + mi] = p < nd ? pr[p] : 0;
          }
        }
      }
    }
  }

  // --- summarize -------------------------------------------------------------------------------
  const scratch = new Float64Array(Math.max(T * R * K, 1));
  const dims = { R, K, A, M };
  const allT = seq(T);
  const allR = seq(R);
  const allK = seq(K);
  const tIndex = (v: number): number[] => allT.filter((t) => IOU_THRESHOLDS[t] === v);
  const ap = (T_: number[], a: number, m: number): number => meanValid(precision, range5(T_, allR, allK, a, m, dims), scratch);
  const ar = (a: number, m: number): number => meanValid(recall, range4(allT, allK, a, m, dims), scratch);
  const stats = [
    ap(allT, 0, 2),
    ap(tIndex(0.5), 0, 2),
    ap(tIndex(0.75), 0, 2),
    ap(allT, 1, 2),
    ap(allT, 2, 2),
    ap(allT, 3, 2),
    ar(0, 0),
    ar(0, 1),
    ar(0, 2),
    ar(1, 2),
    ar(2, 2),
    ar(3, 2),
  ];

  const names = new Map(gt.categories.map((c) => [c.id, c.name]));
  const perCategory: CocoCategoryResult[] = useCats
    ? catIdsAll.map((id, k) => ({
        categoryId: id,
        name: names.get(id) ?? String(id),
        groundTruth: npig[k * A],
        detections: perCatDets[k],
        AP: meanValid(precision, range5(allT, allR, [k], 0, 2, dims), scratch),
        AP50: meanValid(precision, range5(tIndex(0.5), allR, [k], 0, 2, dims), scratch),
        AP75: meanValid(precision, range5(tIndex(0.75), allR, [k], 0, 2, dims), scratch),
        AR100: meanValid(recall, range4(allT, [k], 0, 2, dims), scratch),
      }))
    : [];

  return {
    stats,
    names: [...STAT_NAMES],
    summary: formatSummary(stats, maxDets),
    iouThresholds: IOU_THRESHOLDS,
    recallThresholds: RECALL_THRESHOLDS,
    maxDets,
    areaLabels: AREA_LABELS,
    categoryIds,
    precision,
    recall,
    shape: { T, R, K, A, M },
    perCategory,
    counts: { images: I, annotations: gt.annotations.length, detections: dets.length },
  };
}
