import type { StepRecord } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import { ACTION_COLUMN } from './schema.js';

// Checking and copying one record's values into the builder's typed-array columns: the per-row work of
// TrajectoryBatchBuilder.append, which allocates nothing unless a check fails.

/** Where a bad record sits, for error details; built only when a check fails, never on the hot path. */
export function whereOf(record: StepRecord): Record<string, unknown> {
  return { episodeIndex: record.episodeIndex, frameIndex: record.frameIndex, agentId: record.agentId };
}

export function mismatch(field: string, message: string, details: Record<string, unknown> = {}): TwinforgeError {
  return new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: ${message}`, { details: { field, ...details } });
}

export function numericInvalid(field: string, value: number, where: Record<string, unknown>): TwinforgeError {
  return new TwinforgeError('NUMERIC_INVALID', `${field} must be finite, got ${String(value)}`, {
    details: { field, value, ...where },
  });
}

/**
 * Copies a vector into `out` at `offset` as float32, checking each stored value is finite: checking what was stored
 * also catches a finite float64 that overflows float32 to ±Infinity. It writes only the slot of a row not yet
 * counted, so a record rejected half-way leaves no visible trace. Typed arrays skip the per-value type check.
 */
export function copyVector(
  values: ArrayLike<number>,
  width: number,
  out: Float32Array,
  offset: number,
  field: string,
  record: StepRecord,
): void {
  if (values instanceof Float32Array) {
    for (let j = 0; j < width; j++) {
      const v = values[j] as number;
      // v - v is 0 for every finite number and NaN for NaN and ±Infinity.
      if (v - v !== 0) throw numericInvalid(`${field}[${j}]`, v, whereOf(record));
      out[offset + j] = v;
    }
    return;
  }
  const typed = values instanceof Float64Array;
  for (let j = 0; j < width; j++) {
    const v = values[j] as number;
    if (!typed && typeof v !== 'number') throw mismatch(field, `value ${j} is not a number`, whereOf(record));
    out[offset + j] = v;
    const stored = out[offset + j] as number;
    if (stored - stored !== 0) throw numericInvalid(`${field}[${j}]`, v, whereOf(record));
  }
}

/**
 * Copies a MultiDiscrete / MultiBinary action into `out` at `offset` (as doubles, like the other integer columns),
 * checking entry j is an integer in `low[j] .. low[j] + count[j] - 1`. Like copyVector it writes only the slot of a
 * row not yet counted, so a record rejected half-way leaves nothing behind. Accepts any array-like of numbers
 * (Int32Array from @twinforge/rl's MultiDiscrete, Int8Array from MultiBinary, plain arrays) or of bigints.
 */
export function copyIntegers(
  values: ArrayLike<number | bigint>,
  low: Float64Array,
  count: Float64Array,
  out: Float64Array,
  offset: number,
  record: StepRecord,
): void {
  const width = low.length;
  for (let j = 0; j < width; j++) {
    const raw = values[j];
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    const k = (v as number) - (low[j] as number);
    // The range test is false for NaN and undefined (a missing entry); Number.isInteger rejects fractions and
    // non-numbers that the subtraction coerced (a string, a boolean).
    if (!(k >= 0 && k < (count[j] as number)) || !Number.isInteger(v)) {
      const lo = low[j] as number;
      throw mismatch(
        `${ACTION_COLUMN}[${j}]`,
        `expected an integer in [${lo}, ${lo + (count[j] as number)}), got ${String(raw)}`,
        whereOf(record),
      );
    }
    out[offset + j] = v;
  }
}
