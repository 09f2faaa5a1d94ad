// A check worker as a real worker thread (node:worker_threads) running worker-main, for the runner
// (runner.ts). From the TypeScript sources (tests, benchmarks under tsx) the thread loads tsx's CommonJS hook
// first, as self-command.ts does for child processes, so both layouts work without a build step.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, WorkerPort } from './protocol';

/** worker-main next to this file, in either layout. */
export function workerMainFile(): string {
  return path.join(__dirname, `worker-main${path.extname(__filename)}`);
}

/** Starts one worker thread on `file` (default worker-main). Unref'd: it never keeps a process alive alone. */
export function startWorkerThread(file = workerMainFile()): WorkerPort {
  const worker = file.endsWith('.ts')
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, {
        eval: true,
        // esbuild (under tsx) would otherwise run its service from a thread of its own in this worker, and a
        // terminated worker leaves that child unreaped: a zombie in the process. Without threads it runs one
        // reaped esbuild per file.
        env: { ...process.env, ESBUILD_WORKER_THREADS: '0' },
      })
    : new Worker(file);
  worker.unref();
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (listener) => worker.on('message', (m: FromWorker) => listener(m)),
    onError: (listener) => worker.on('error', listener),
    onExit: (listener) => worker.on('exit', listener),
    terminate: () => worker.terminate(),
  };
}
