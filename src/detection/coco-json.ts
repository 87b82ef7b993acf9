/**
 * COCO-format ground truth and detection files: types, and validation that turns every problem
 * into a one-line UserError naming the file and the offending entry.
 *
 * Ground truth: `{ images: [{id, width?, height?, file_name?}], annotations: [{id, image_id,
 * category_id, bbox: [x, y, w, h], area?, iscrowd?, ignore?}], categories: [{id, name}] }`.
 * Detections: a list of `{image_id, category_id, bbox, score}`, or `{annotations: [...]}`.
 *
 * Stricter than pycocotools where pycocotools would crash or silently misbehave, never looser:
 * - ids are integers; annotation ids are non-zero (pycocotools stores matched ids in zero-initialised
 *   arrays, so id 0 would read as "unmatched") and unique (pycocotools looks annotations up by id,
 *   so a duplicate silently replaces the other one);
 * - boxes are 4 finite numbers with w, h ≥ 0; scores are finite numbers;
 * - `iscrowd` is 0/1 (or a boolean); `area` and `iscrowd` may be left out (pycocotools raises
 *   KeyError): they default to w·h and 0;
 * - detection image ids must all be ground-truth images (pycocotools asserts the same).
 * A detection's own `id`, `area` and `iscrowd` are disregarded, as in pycocotools' loadRes
 * (ids 1…n in file order, area w·h, iscrowd 0).
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.js';

/** [x, y, w, h]: top-left corner and size in pixels. */
export type CocoBox = [number, number, number, number];

export interface CocoImage {
  id: number;
  width?: number;
  height?: number;
  file_name?: string;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  bbox: CocoBox;
  /** Used for the small/medium/large split; defaults to w·h when absent. */
  area?: number;
  /** 1 for crowd regions (matched with union = detection area, ignored in the counts). */
  iscrowd?: number;
  /**
   * Accepted and kept, but — exactly as in pycocotools' bbox evaluation, which overwrites it with
   * `iscrowd` — it has no effect on COCO AP. Only `iscrowd` marks a ground-truth box as ignored.
   */
  ignore?: number;
}

export interface CocoCategory {
  id: number;
  name: string;
}

export interface CocoGroundTruth {
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export interface CocoDetection {
  image_id: number;
  category_id: number;
  bbox: CocoBox;
  score: number;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UserError(`${source}: not valid JSON (${why})`);
  }
}

function integerField(o: Obj, key: string, where: string, nonZero = false): number {
  const v = o[key];
  if (v === undefined) throw new UserError(`${where} has no "${key}"`);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new UserError(`${where}.${key} must be an integer (got ${JSON.stringify(v)})`);
  if (nonZero && v === 0) throw new UserError(`${where}.${key} must be non-zero`);
  return v;
}

function boxField(o: Obj, where: string): CocoBox {
  const b = o.bbox;
  if (b === undefined) throw new UserError(`${where} has no "bbox"`);
  if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new UserError(`${where}.bbox must be 4 numbers [x, y, w, h] (got ${JSON.stringify(b)?.slice(0, 80)})`);
  }
  if (b[2] < 0 || b[3] < 0) throw new UserError(`${where}.bbox has a negative width or height (${JSON.stringify(b)})`);
  return b as CocoBox;
}

function optionalNumber(o: Obj, key: string, where: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${where}.${key} must be a number (got ${JSON.stringify(v)})`);
  return v;
}

function flagField(o: Obj, key: string, where: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (v === true || v === 1) return 1;
  if (v === false || v === 0) return 0;
  throw new UserError(`${where}.${key} must be 0 or 1 (got ${JSON.stringify(v)})`);
}

function listField(o: Obj, key: string, source: string): unknown[] {
  const v = o[key];
  if (v === undefined) throw new UserError(`${source}: ground truth has no "${key}" list`);
  if (!Array.isArray(v)) throw new UserError(`${source}: "${key}" must be a list`);
  return v;
}

/** Check an already-parsed value against the ground-truth format; returns a cleaned copy. */
export function validateGroundTruth(value: unknown, source: string): CocoGroundTruth {
  if (!isObject(value)) throw new UserError(`${source}: ground truth must be a JSON object with "images", "annotations" and "categories"`);
  const images: CocoImage[] = [];
  for (const [i, raw] of listField(value, 'images', source).entries()) {
    const where = `${source}: images[${i}]`;
    if (!isObject(raw)) throw new UserError(`${where} must be an object`);
    const img: CocoImage = { id: integerField(raw, 'id', where) };
    const width = optionalNumber(raw, 'width', where);
    const height = optionalNumber(raw, 'height', where);
    if (width !== undefined) img.width = width;
    if (height !== undefined) img.height = height;
    if (typeof raw.file_name === 'string') img.file_name = raw.file_name;
    images.push(img);
  }
  const categories: CocoCategory[] = [];
  for (const [i, raw] of listField(value, 'categories', source).entries()) {
    const where = `${source}: categories[${i}]`;
    if (!isObject(raw)) throw new UserError(`${where} must be an object`);
    categories.push({ id: integerField(raw, 'id', where), name: typeof raw.name === 'string' ? raw.name : String(raw.name ?? '') });
  }
  const annotations: CocoAnnotation[] = [];
  const seen = new Set<number>();
  for (const [i, raw] of listField(value, 'annotations', source).entries()) {
    const where = `${source}: annotations[${i}]`;
    if (!isObject(raw)) throw new UserError(`${where} must be an object`);
    const id = integerField(raw, 'id', where, true);
    if (seen.has(id)) throw new UserError(`${where}: duplicate annotation id ${id}`);
    seen.add(id);
    const ann: CocoAnnotation = {
      id,
      image_id: integerField(raw, 'image_id', where),
      category_id: integerField(raw, 'category_id', where),
      bbox: boxField(raw, where),
    };
    const area = optionalNumber(raw, 'area', where);
    const iscrowd = flagField(raw, 'iscrowd', where);
    const ignore = flagField(raw, 'ignore', where);
    if (area !== undefined) ann.area = area;
    if (iscrowd !== undefined) ann.iscrowd = iscrowd;
    if (ignore !== undefined) ann.ignore = ignore;
    annotations.push(ann);
  }
  return { images, annotations, categories };
}

/** Check an already-parsed detection list (or `{annotations: [...]}`); returns a cleaned copy. */
export function validateDetections(value: unknown, source: string): CocoDetection[] {
  let list: unknown;
  if (Array.isArray(value)) list = value;
  else if (isObject(value) && Array.isArray(value.annotations)) list = value.annotations;
  else throw new UserError(`${source}: detections must be a JSON list of {image_id, category_id, bbox, score} or an object with an "annotations" list`);
  const out: CocoDetection[] = [];
  for (const [i, raw] of (list as unknown[]).entries()) {
    const where = `${source}: detections[${i}]`;
    if (!isObject(raw)) throw new UserError(`${where} must be an object`);
    const score = raw.score;
    if (score === undefined) throw new UserError(`${where} has no "score"`);
    if (typeof score !== 'number' || !Number.isFinite(score)) throw new UserError(`${where}.score must be a finite number (got ${JSON.stringify(score)})`);
    out.push({
      image_id: integerField(raw, 'image_id', where),
      category_id: integerField(raw, 'category_id', where),
      bbox: boxField(raw, where),
      score,
    });
  }
  return out;
}

/** Every detection's image must be a ground-truth image (pycocotools asserts this in loadRes). */
export function checkDetectionImages(gt: CocoGroundTruth, dets: readonly CocoDetection[], source = 'detections'): void {
  const ids = new Set(gt.images.map((im) => im.id));
  for (const d of dets) {
    if (!ids.has(d.image_id)) {
      throw new UserError(`${source}: unknown image id ${d.image_id} in detections (not among the ${ids.size} ground-truth images)`);
    }
  }
}

export function parseGroundTruth(text: string, source: string): CocoGroundTruth {
  return validateGroundTruth(parseJson(text, source), source);
}

export function parseDetections(text: string, source: string): CocoDetection[] {
  return validateDetections(parseJson(text, source), source);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${what} file ${path} does not exist or cannot be read`);
  }
}

export async function readGroundTruth(path: string): Promise<CocoGroundTruth> {
  return parseGroundTruth(await readText(path, 'ground-truth'), path);
}

export async function readDetections(path: string): Promise<CocoDetection[]> {
  return parseDetections(await readText(path, 'detections'), path);
}
