import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { testEnv } from './test-env';

export interface WorkerProcess {
  child: ChildProcess;
  /** resolves once the worker runs */
  started: Promise<void>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts test/helpers/worker-process-main.ts as a child process (bundled by esbuild into the run's
 * temporary directory; packages stay in node_modules) against the run's dev server.
 */
export function startWorkerProcess(taskQueue: string): WorkerProcess {
  const outfile = path.join(testEnv('tmpDir'), 'worker-process.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'worker-process-main.ts')],
    bundle: true,
    platform: 'node',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  const child = spawn(process.execPath, [outfile], {
    env: {
      ...process.env,
      XWQL_ADDRESS: testEnv('address'),
      XWQL_TASK_QUEUE: taskQueue,
      XWQL_BUNDLE: testEnv('bundle'),
      // packages resolve from the project, not from the temporary directory
      NODE_PATH: path.resolve(__dirname, '..', '..', 'node_modules'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker running')) resolve();
    });
    void exited.then((code) => reject(new Error(`worker process exited (${code}): ${stderr}`)));
  });
  return {
    child,
    started,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
