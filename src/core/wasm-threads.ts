/**
 * Multithreaded tfjs-wasm under Node. tfjs 4.22 ships a threaded SIMD build but never uses it in
 * Node, for three reasons this module works around, all during backend initialisation only:
 * 1. its `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to false when `IS_NODE`;
 * 2. it hands Emscripten's pthread pool a Blob URL for the worker script and a Blob for the main
 *    script, which `worker_threads` cannot load — we start the worker from its source text
 *    (`eval: true`) and point it at the threaded module's file instead;
 * 3. the C++ side caps XNNPACK's pool at `logical cores / 2` (assumes two hyper-threads per core),
 *    which is 1 on a 2-vCPU machine — we report twice the cores while the module starts, so the
 *    cap becomes the core count and `setThreadsCount` decides.
 * The pool's workers are unref'd once the backend is up, so they never keep the process alive.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as NodeWorker, WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

export interface ThreadedInit {
  /** Undo the temporary patches; call once the backend is ready (or failed). */
  restore(): void;
}

/** Patch worker_threads and os.cpus for the duration of the wasm backend's initialisation. */
export function prepareThreadedWasm(tfEnv: { set(flag: string, value: boolean): void }): ThreadedInit {
  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const os = require('node:os') as typeof import('node:os');
  const wasmOut = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'));
  const mainScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  // the worker source is a template literal whose "\n" escapes became real newlines
  const workerSource = (require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string })
    .wasmWorkerContents.replace(/\n/g, '\\n');

  const OriginalWorker = workerThreads.Worker;
  const originalCpus = os.cpus;
  const pool: NodeWorker[] = [];

  class PoolWorker extends OriginalWorker {
    constructor(script: string | URL, options?: WorkerOptions) {
      if (typeof script === 'string' && script.startsWith('blob:')) super(workerSource, { eval: true });
      else super(script, options);
      pool.push(this);
    }

    override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (m?.cmd === 'load' && typeof m.urlOrBlob !== 'string') message = { ...m, urlOrBlob: mainScript };
      super.postMessage(message, transfer);
    }
  }

  workerThreads.Worker = PoolWorker;
  os.cpus = () => {
    const cores = originalCpus();
    return [...cores, ...cores];
  };
  tfEnv.set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  return {
    restore() {
      workerThreads.Worker = OriginalWorker;
      os.cpus = originalCpus;
      // unref only now: an unref'd worker that is still loading lets a waiting process exit
      for (const worker of pool) worker.unref();
    },
  };
}
