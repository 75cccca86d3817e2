import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRng, type Rng, type ScenarioEvent } from '@twinforge/core';
import { writeParquetFile } from '@twinforge/data';
import { type EventRow, eventToRow } from '@twinforge/fidelity';
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  makeData,
  makeVector,
  Table,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';

/** Writes an Arrow table as `<root>/<relative>` with @twinforge/data's writer (the format the CLI reads). */
export async function writeTable(root: string, relative: string, columns: Record<string, Vector>): Promise<string> {
  mkdirSync(dirname(join(root, relative)), { recursive: true });
  const table = new Table(columns);
  await writeParquetFile(root, relative, table.schema, table.batches);
  return join(root, relative);
}

/** A FixedSizeList<float32, width> column, as the mesh scenario dataset stores its grids. */
export function gridVector(maps: readonly Float32Array[], width: number): Vector {
  const flat = new Float32Array(Math.max(1, maps.length * width));
  maps.forEach((m, i) => {
    flat.set(m, i * width);
  });
  const child = makeData({
    type: new Float32(),
    length: maps.length * width,
    data: flat.subarray(0, maps.length * width),
  });
  const type = new FixedSizeList(width, new Field('item', new Float32(), false));
  return makeVector(makeData({ type, length: maps.length, child }));
}

export const ints = (v: readonly number[]) => vectorFromArray([...v], new Int32());

/**
 * `count` side×side maps of 1 or 2 Gaussian bumps (σ = 1.2 cells, amplitude 1.5–2.5, at least 5 cells apart, so each
 * bump is one hot spot above 0.5) on a little noise; `jammer_count` is the number of bumps.
 */
export function blobMaps(count: number, side: number, rng: Rng): { maps: Float32Array[]; counts: number[] } {
  const maps: Float32Array[] = [];
  const counts: number[] = [];
  for (let n = 0; n < count; n++) {
    const k = rng.int(1, 2);
    // All centres drawn together until they are apart (drawing them one by one can paint itself into a corner).
    const draw = () => Array.from({ length: k }, () => [rng.uniform(1, side - 2), rng.uniform(1, side - 2)] as const);
    let centres = draw();
    while (centres.some(([x, y], i) => centres.slice(0, i).some(([u, v]) => Math.hypot(x - u, y - v) < 5))) {
      centres = draw();
    }
    const amps = centres.map(() => rng.uniform(1.5, 2.5));
    const map = new Float32Array(side * side);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        let v = 0.05 * rng.uniform();
        centres.forEach(([x, y], j) => {
          v += (amps[j] as number) * Math.exp(-((c - x) ** 2 + (r - y) ** 2) / (2 * 1.2 ** 2));
        });
        map[r * side + c] = v;
      }
    }
    maps.push(map);
    counts.push(k);
  }
  return { maps, counts };
}

export async function writeMaps(
  root: string,
  relative: string,
  maps: readonly Float32Array[],
  counts: readonly number[],
  column = 'grid',
): Promise<string> {
  const width = maps[0]?.length ?? 0;
  return writeTable(root, relative, { [column]: gridVector(maps, width), jammer_count: ints(counts) });
}

/**
 * Random valid timelines of a 10-node mesh over 100 s: node failures with recoveries, jammers on then off, surges and
 * link degradations at sorted uniform times (a small stand-in for the scenario generator).
 */
export function randomTimelines(count: number, rng: Rng): ScenarioEvent[][] {
  const out: ScenarioEvent[][] = [];
  for (let n = 0; n < count; n++) {
    const events: ScenarioEvent[] = [];
    const failures = rng.int(0, 2);
    const nodes = Array.from(rng.permutation(10)).slice(0, failures);
    for (const node of nodes) {
      const a = rng.uniform(0, 60);
      events.push({ kind: 'node-fail', t: a, node }, { kind: 'node-recover', t: a + rng.uniform(5, 40), node });
    }
    const jammers = rng.int(0, 2);
    for (let j = 0; j < jammers; j++) {
      const a = rng.uniform(0, 50);
      events.push(
        {
          kind: 'jammer-on',
          t: a,
          jammer: j,
          position: { x: rng.uniform(0, 1000), y: rng.uniform(0, 1000) },
          radius_m: rng.uniform(100, 300),
          power_W: rng.uniform(0.1, 2),
          channel: rng.int(0, 2),
        },
        { kind: 'jammer-off', t: a + rng.uniform(10, 50), jammer: j },
      );
    }
    if (rng.bernoulli(0.5)) {
      events.push({ kind: 'traffic-surge', t: rng.uniform(0, 90), factor: rng.uniform(1.5, 3), duration_s: 10 });
    }
    if (rng.bernoulli(0.5)) {
      events.push({ kind: 'link-degrade', t: rng.uniform(0, 90), from: rng.int(0, 4), to: rng.int(5, 10), loss_dB: 6 });
    }
    out.push(events.sort((x, y) => x.t - y.t));
  }
  return out;
}

const nullableFloats = (rows: readonly EventRow[], key: keyof EventRow) =>
  vectorFromArray(
    rows.map((r) => (r[key] ?? null) as number | null),
    new Float64(),
  );
const nullableInts = (rows: readonly EventRow[], key: keyof EventRow) =>
  vectorFromArray(
    rows.map((r) => (r[key] ?? null) as number | null),
    new Int32(),
  );

/** Event columns of the mesh scenario dataset's events.parquet (minus `drop`, to test missing columns). */
export function eventColumns(timelines: readonly ScenarioEvent[][], ids: readonly string[], drop: string[] = []) {
  const rows = timelines.flatMap((tl, i) => tl.map((e, k) => eventToRow(e, ids[i] as string, k)));
  const all: Record<string, Vector> = {
    scenario_id: vectorFromArray(
      rows.map((r) => r.scenario_id),
      new Utf8(),
    ),
    event_index: ints(rows.map((r) => r.event_index)),
    t: vectorFromArray(
      rows.map((r) => r.t),
      new Float64(),
    ),
    kind: vectorFromArray(
      rows.map((r) => r.kind),
      new Utf8(),
    ),
    node: nullableInts(rows, 'node'),
    jammer: nullableInts(rows, 'jammer'),
    x_m: nullableFloats(rows, 'x_m'),
    y_m: nullableFloats(rows, 'y_m'),
    radius_m: nullableFloats(rows, 'radius_m'),
    power_W: nullableFloats(rows, 'power_W'),
    channel: nullableInts(rows, 'channel'),
    factor: nullableFloats(rows, 'factor'),
    duration_s: nullableFloats(rows, 'duration_s'),
    from_node: nullableInts(rows, 'from_node'),
    to_node: nullableInts(rows, 'to_node'),
    loss_dB: nullableFloats(rows, 'loss_dB'),
  };
  for (const d of drop) delete all[d];
  return all;
}

export const seeded = (seed: number, name: string) => createRng(seed).split(name);
