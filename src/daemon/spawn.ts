// The production Spawner: runs a program without a shell, stdio ignored, and resolves with how it exited.

import { spawn } from 'node:child_process';
import type { Spawner } from '../reconcile/fallback-command';

export const spawnProcess: Spawner = (file, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
