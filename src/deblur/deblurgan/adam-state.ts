/**
 * Adam's state in a run folder: `adam.json` (iteration count, tensor names, shapes and offsets)
 * beside `adam.bin` (the moments as little-endian float32). The state of the paper-size generator
 * is 22.8 M numbers: as JSON text it came to ~527 M characters, just under V8's string limit, and
 * took seconds to write at every checkpoint. Runs saved with the older all-JSON `adam.json` still
 * resume.
 *
 * tfjs keys the state by variable names, which are process-specific; it is stored under the
 * parameter names instead (`<param>/m`, `<param>/v`) and mapped back on load.
 */
import { readFile } from 'node:fs/promises';
import { type StagedWrites, writeWhole } from '../../core/files.js';
import { join } from 'node:path';
import type { Optimizer, Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../../core/tfjs-backend.js';

const FORMAT = 'deblurbench-adam@2';

interface Manifest {
  format: typeof FORMAT;
  iterations: number;
  tensors: { name: string; shape: number[]; offset: number }[];
  /** floats in adam.bin */
  length: number;
}

/** The state as the older releases wrote it: every tensor as a JSON array (`iter` included). */
type LegacyState = { name: string; shape: number[]; data: number[] }[];

function renamer(vars: Map<string, Variable>, toParam: boolean): (name: string) => string {
  const pairs = [...vars].map(([param, v]) => (toParam ? [v.name, param] : [param, v.name]));
  const table = new Map(pairs as [string, string][]);
  return (name) => {
    const slash = name.lastIndexOf('/');
    const head = slash < 0 ? name : name.slice(0, slash);
    return table.has(head) ? `${table.get(head)}${name.slice(head.length)}` : name;
  };
}

export async function saveAdamState(dir: string, optimizer: Optimizer, vars: Map<string, Variable>, staged?: StagedWrites): Promise<void> {
  const toParam = renamer(vars, true);
  const [iter, ...moments] = await optimizer.getWeights();
  const iterations = (await iter.tensor.data())[0];
  iter.tensor.dispose(); // a fresh scalar; the moments are the optimizer's own
  const length = moments.reduce((n, w) => n + w.tensor.size, 0);
  const floats = new Float32Array(length);
  const tensors: Manifest['tensors'] = [];
  let offset = 0;
  for (const w of moments) {
    floats.set((await w.tensor.data()) as Float32Array, offset);
    tensors.push({ name: toParam(w.name), shape: w.tensor.shape, offset });
    offset += w.tensor.size;
  }
  // the data first, then the manifest that describes it
  await writeWhole(join(dir, 'adam.bin'), new Uint8Array(floats.buffer), staged);
  const manifest: Manifest = { format: FORMAT, iterations, tensors, length };
  await writeWhole(join(dir, 'adam.json'), JSON.stringify(manifest), staged);
}

async function readState(tf: Tf, dir: string): Promise<{ name: string; tensor: Tensor }[]> {
  const parsed = JSON.parse(await readFile(join(dir, 'adam.json'), 'utf8')) as Manifest | LegacyState;
  if (Array.isArray(parsed)) return parsed.map((e) => ({ name: e.name, tensor: tf.tensor(e.data, e.shape, e.name === 'iter' ? 'int32' : 'float32') }));
  if (parsed.format !== FORMAT) throw new Error(`unknown Adam state format ${String(parsed.format)}`);
  const bytes = await readFile(join(dir, 'adam.bin'));
  if (bytes.byteLength !== parsed.length * 4) throw new Error('adam.bin does not match adam.json');
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  return [
    { name: 'iter', tensor: tf.scalar(parsed.iterations, 'int32') },
    ...parsed.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(floats.subarray(t.offset, t.offset + size(t.shape)), t.shape) })),
  ];
}

/** Restore the optimizer's state from `dir`; false (fresh moments) when there is none or it is unreadable. */
export async function loadAdamState(tf: Tf, dir: string, optimizer: Optimizer, vars: Map<string, Variable>): Promise<boolean> {
  const toVariable = renamer(vars, false);
  let state: { name: string; tensor: Tensor }[];
  try {
    state = await readState(tf, dir);
  } catch {
    return false;
  }
  try {
    await optimizer.setWeights(state.map((w) => ({ name: toVariable(w.name), tensor: w.tensor })));
    return true;
  } catch {
    return false;
  } finally {
    // the optimizer's variables hold their own references
    tf.dispose(state.map((w) => w.tensor));
  }
}
