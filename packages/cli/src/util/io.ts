import type { Streams } from '../progress/reporters.js';

/** The process surface commands touch, injectable so tests can run commands in-process. */
export interface Io extends Streams {
  cwd: string;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe. */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): Io {
  return {
    out: process.stdout,
    err: process.stderr,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}
