import { type Condition, TwinforgeError } from '@twinforge/core';
import { z } from 'zod';

/**
 * One conditioning variable: a small integer (e.g. the active jammer count 0..3, the load level 0..4) read from a
 * dataset column and passed to `sample` under `name`. Each gets its own "unknown" value, so the model also learns
 * p(x | the other conditions) and p(x) for classifier-free guidance.
 */
export const conditionSpecSchema = z.strictObject({
  /** Key in the Condition passed to sample(), e.g. 'jammers'. */
  name: z.string().min(1),
  /** Dataset column holding it, e.g. 'jammer_count'. */
  column: z.string().min(1),
  /** Values are 0..levels−1. */
  levels: z.number().int().min(1).max(64),
});
export type ConditionSpec = z.output<typeof conditionSpecSchema>;

/** A value per spec, or null for "unknown" (the model samples from the marginal over it). */
export type ConditionValues = readonly (number | null)[];

/** Width of the encoded condition: a one-hot of levels + 1 (the last slot is "unknown") per variable. */
export function conditionWidth(specs: readonly ConditionSpec[]): number {
  return specs.reduce((a, s) => a + s.levels + 1, 0);
}

/** One-hot rows for a batch of condition values, [n × conditionWidth], row-major. */
export function encodeConditions(specs: readonly ConditionSpec[], rows: readonly ConditionValues[]): Float32Array {
  const width = conditionWidth(specs);
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    let off = 0;
    specs.forEach((s, j) => {
      const v = row[j];
      const slot = v === null || v === undefined ? s.levels : v;
      out[i * width + off + slot] = 1;
      off += s.levels + 1;
    });
  });
  return out;
}

/**
 * Reads a scenario Condition into per-spec values: a missing key is null (unknown); a value must be an integer in
 * 0..levels−1, anything else is INVALID_ARGUMENT naming the key.
 */
export function conditionValues(specs: readonly ConditionSpec[], condition: Condition): (number | null)[] {
  return specs.map((s) => {
    const v = condition[s.name];
    if (v === undefined) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= s.levels) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `condition ${s.name} must be an integer in [0, ${s.levels - 1}], got ${JSON.stringify(v)}`,
        { details: { field: s.name } },
      );
    }
    return v;
  });
}
