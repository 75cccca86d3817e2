import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTwinforgeError } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { DatasetReader, locateFooter, readFooterMetadata } from '../src/index.js';
import { tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');

/** Runs the writer child and SIGKILLs it `delayMs` after it starts closing (or lets it finish when delay < 0). */
function runAndKill(dir: string, rows: number, delayMs: number): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [join(here, 'fixtures', 'kill-writer.ts'), dir, String(rows)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (delayMs >= 0 && output.includes('closing')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ killed: signal === 'SIGKILL', output }));
  });
}

/** Every visible (non-temporary) Parquet file is complete: magic, footer and the row count info.json would record. */
function visibleParquetFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe('a writer killed with SIGKILL', () => {
  it('leaves only complete files, and a dataset that is either whole or clearly absent', async () => {
    const t = tempDir();
    try {
      const rows = 101 * 400;
      const outcomes = { complete: 0, absent: 0 };
      // Kill at several points of close(): encoding, between files, while writing metadata; once not at all.
      for (const delay of [0, 60, 200, 400, -1]) {
        const dir = join(t.dir, `ds-${delay}`);
        const { killed, output } = await runAndKill(dir, rows, delay);
        if (!killed) expect(output).toContain('closed');
        for (const file of visibleParquetFiles(dir)) {
          const bytes = readFileSync(file);
          const footer = readFooterMetadata(bytes, locateFooter(bytes, file), file);
          expect(footer.rows).toBe(file.includes('episodes') ? rows / 101 : rows / 4);
        }
        try {
          const reader = await DatasetReader.open(dir);
          expect(reader.table().numRows).toBe(rows);
          outcomes.complete++;
        } catch (error) {
          expect(isTwinforgeError(error, 'DATASET_NOT_FOUND'), String(error)).toBe(true);
          expect(killed).toBe(true);
          outcomes.absent++;
        }
      }
      expect(outcomes.complete).toBeGreaterThanOrEqual(1);
    } finally {
      t.cleanup();
    }
  });
});
