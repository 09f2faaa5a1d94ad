import type { Logger } from '../../../src/observe/log/logger';

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => {
      lines.push(`info: ${m}`);
    },
    warn: (m) => {
      lines.push(`warn: ${m}`);
    },
    error: (m) => {
      lines.push(`error: ${m}`);
    },
    debug: () => undefined,
  };
}
