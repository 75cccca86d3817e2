import { TwinforgeError } from '@twinforge/core';
import { z } from 'zod';
import { createSnapshot, type TwinSnapshot } from './snapshot.js';

export const SNAPSHOT_FORMAT = 'twinforge.twin-snapshot/1';

/** The JSON form: plain arrays of numbers (float64 values survive JSON exactly; NaN never enters a snapshot). */
export interface SnapshotJSON {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  time: number;
  params: Record<string, number>;
  entities: Record<string, { ids: number[]; columns: Record<string, number[]> }>;
}

const finite = z.number().refine(Number.isFinite, 'must be finite');
const snapshotJsonSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.number().int().min(0),
  time: finite,
  params: z.record(z.string(), finite),
  entities: z.record(
    z.string().min(1),
    z.strictObject({ ids: z.array(z.number().int()), columns: z.record(z.string(), z.array(finite)) }),
  ),
});

export function snapshotToJSON(snapshot: TwinSnapshot): SnapshotJSON {
  const entities: SnapshotJSON['entities'] = {};
  for (const [kind, table] of Object.entries(snapshot.entities)) {
    const columns: Record<string, number[]> = {};
    for (const [name, values] of Object.entries(table.columns)) columns[name] = Array.from(values);
    entities[kind] = { ids: Array.from(table.ids), columns };
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: snapshot.version,
    time: snapshot.time,
    params: { ...snapshot.params },
    entities,
  };
}

/** Parses the JSON form (object or string); anything malformed is TWIN_SNAPSHOT_INVALID naming the field. */
export function snapshotFromJSON(json: unknown): TwinSnapshot {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw new TwinforgeError('TWIN_SNAPSHOT_INVALID', `twin snapshot is not valid JSON: ${String(cause)}`, { cause });
    }
  }
  const parsed = snapshotJsonSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first?.path.map(String).join('.') || '(root)';
    throw new TwinforgeError('TWIN_SNAPSHOT_INVALID', `invalid twin snapshot JSON: ${path}: ${first?.message}`, {
      details: { path },
    });
  }
  return createSnapshot(parsed.data);
}
