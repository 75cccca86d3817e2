import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepRecord } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DatasetInfo, DatasetReader } from '../src/index.js';
import { tempDir, writeDataset } from './helpers.js';

const f32 = fc.float({ noNaN: true, noDefaultInfinity: true });

type Action = number | Float32Array | Int32Array | Int8Array | number[] | BigInt64Array;

interface TrajectorySpec {
  episode: number;
  agent: string;
  join: number;
  observations: Float32Array[];
  actions: Action[];
  rewards: number[];
  terminal: boolean;
}

/**
 * MultiDiscrete entries: small ranges from 0, from a negative start (two's complement in the file), and far outside
 * 32 bits (the int64 high word); values come as Int32Array (what @twinforge/rl's MultiDiscrete gives), plain arrays
 * or BigInt64Array.
 */
const multiDiscreteArb = fc
  .array(
    fc.record({
      n: fc.integer({ min: 1, max: 7 }),
      start: fc.oneof(
        fc.constant(0),
        fc.integer({ min: -5, max: 5 }),
        fc.constantFrom(2 ** 32 - 3, -(2 ** 40), 2 ** 50),
      ),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((entries) => ({
    kind: 'multi-discrete' as const,
    nvec: entries.map((e) => e.n),
    start: entries.map((e) => e.start),
  }));

function actionSpaceJson(action: Shape['action']): Record<string, unknown> {
  switch (action.kind) {
    case 'discrete':
      return { type: 'Discrete', n: action.n };
    case 'box':
      return { type: 'Box', shape: [action.width], low: -1, high: 1, dtype: 'float32' };
    case 'multi-discrete':
      return { type: 'MultiDiscrete', nvec: action.nvec, start: action.start };
    case 'multi-binary':
      return { type: 'MultiBinary', n: action.n };
  }
}

/** The int64 values the action column must hold for a record's action (zeros on the last row). */
function int64s(action: Action | null, width: number): bigint[] {
  if (action === null) return new Array<bigint>(width).fill(0n);
  return Array.from(action as ArrayLike<number | bigint>, (v) => BigInt(v));
}

const shapeArb = fc.record({
  obsWidth: fc.integer({ min: 1, max: 6 }),
  action: fc.oneof(
    fc.record({ kind: fc.constant('discrete' as const), n: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ kind: fc.constant('box' as const), width: fc.integer({ min: 1, max: 4 }) }),
    multiDiscreteArb,
    fc.record({ kind: fc.constant('multi-binary' as const), n: fc.integer({ min: 1, max: 5 }) }),
  ),
  agents: fc.integer({ min: 1, max: 3 }),
  // Parallel environments hand the sink one space per agent (the same for every agent here).
  perAgentSpaces: fc.boolean(),
  episodes: fc.integer({ min: 1, max: 3 }),
  // Also split the data over several files (encoded in this thread) at arbitrary row boundaries.
  maxRowsPerFile: fc.constantFrom(undefined, 1, 3, 17),
  // Or encode files of complete trajectories on a worker while the records still arrive.
  streamFileRows: fc.constantFrom(undefined, undefined, 4),
});
type Shape = typeof shapeArb extends fc.Arbitrary<infer T> ? T : never;

function actionArb(action: Shape['action'], vec: (w: number) => fc.Arbitrary<Float32Array>): fc.Arbitrary<Action> {
  switch (action.kind) {
    case 'discrete':
      return fc.integer({ min: 0, max: action.n - 1 });
    case 'box':
      return vec(action.width);
    case 'multi-discrete': {
      const values = fc.tuple(
        ...action.nvec.map((n, j) =>
          fc.integer({ min: action.start[j] as number, max: (action.start[j] as number) + n - 1 }),
        ),
      );
      const int32 = action.start.every((s, j) => s >= -(2 ** 31) && s + (action.nvec[j] as number) <= 2 ** 31);
      return fc
        .tuple(values, fc.constantFrom('int32', 'array', 'bigint'))
        .map(
          ([v, as]): Action =>
            as === 'int32' && int32 ? Int32Array.from(v) : as === 'bigint' ? BigInt64Array.from(v, BigInt) : v,
        );
    }
    case 'multi-binary':
      return fc
        .array(fc.integer({ min: 0, max: 1 }), { minLength: action.n, maxLength: action.n })
        .map((v) => Int8Array.from(v));
  }
}

const datasetArb = shapeArb.chain((shape) =>
  fc.record({ shape: fc.constant(shape), trajectories: trajectoriesArb(shape) }),
);

function trajectoriesArb(shape: Shape): fc.Arbitrary<TrajectorySpec[]> {
  const vec = (w: number) => fc.array(f32, { minLength: w, maxLength: w }).map((a) => Float32Array.from(a));
  const action = actionArb(shape.action, vec);
  // Agents join at different steps and leave after different lengths (0 steps: only the final row).
  const traj = (episode: number, agent: string) =>
    fc.integer({ min: 0, max: 6 }).chain((steps) =>
      fc.record({
        episode: fc.constant(episode),
        agent: fc.constant(agent),
        join: fc.integer({ min: 0, max: 3 }),
        observations: fc.array(vec(shape.obsWidth), { minLength: steps + 1, maxLength: steps + 1 }),
        actions: fc.array(action, { minLength: steps, maxLength: steps }),
        rewards: fc.array(f32, { minLength: steps, maxLength: steps }),
        terminal: fc.boolean(),
      }),
    );
  const specs: fc.Arbitrary<TrajectorySpec>[] = [];
  for (let e = 0; e < shape.episodes; e++) {
    for (let a = 0; a < shape.agents; a++) specs.push(traj(e, `agent_${a}`));
  }
  // Some agents skip some episodes entirely.
  return fc.tuple(...specs).chain((all) => fc.subarray(all, { minLength: 1 }));
}

function records(spec: TrajectorySpec): StepRecord[] {
  const steps = spec.actions.length;
  return spec.observations.map((observation, t) => ({
    episodeIndex: spec.episode,
    frameIndex: t,
    timestamp: (spec.join + t) / 3,
    agentId: spec.agent,
    observation,
    action: t < steps ? spec.actions[t] : null,
    reward: t < steps ? (spec.rewards[t] as number) : 0,
    done: spec.terminal && t === steps - 1,
    truncated: !spec.terminal && t === steps - 1,
    isFirst: t === 0,
    isLast: t === steps,
    isTerminal: spec.terminal && t === steps,
    scenarioId: `scn-${spec.episode}`,
  }));
}

const reader0 = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'meta/info.json'), 'utf8')) as DatasetInfo).trajectory.files.data.length;

const bits = (a: Float32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

describe('round trip', () => {
  it('arbitrary multi-agent episodes (Box, Discrete, MultiDiscrete, MultiBinary actions) are read back equal, bit for bit', async () => {
    const t = tempDir();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(datasetArb, async ({ shape, trajectories }) => {
          const dir = join(t.dir, `ds-${run++}`);
          // Interleave the agents of an episode step by step, the way a parallel environment emits them.
          const stream = trajectories
            .flatMap((spec) => records(spec).map((r) => ({ r, key: r.episodeIndex * 1000 + spec.join + r.frameIndex })))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.r);
          const agents = [...new Set(trajectories.map((s) => s.agent))];
          await writeDataset(
            dir,
            {
              runId: 'prop',
              seed: 1,
              environment: 'prop-env',
              agents,
              observationSpace: { type: 'Box', shape: [shape.obsWidth], low: -1, high: 1, dtype: 'float32' },
              actionSpace: shape.perAgentSpaces
                ? Object.fromEntries(agents.map((a) => [a, actionSpaceJson(shape.action)]))
                : actionSpaceJson(shape.action),
            },
            stream,
            {
              encoderThreads: shape.streamFileRows === undefined ? 0 : 1,
              ...(shape.maxRowsPerFile === undefined ? {} : { maxRowsPerFile: shape.maxRowsPerFile }),
              ...(shape.streamFileRows === undefined ? {} : { streamFileRows: shape.streamFileRows }),
            },
          );
          if (shape.maxRowsPerFile !== undefined && shape.streamFileRows === undefined) {
            expect(reader0(dir)).toBe(Math.max(1, Math.ceil(stream.length / shape.maxRowsPerFile)));
          }
          const reader = await DatasetReader.open(dir);
          expect(reader.table().numRows).toBe(stream.length);
          expect(reader.episodes.numRows).toBe(trajectories.length);
          for (const spec of trajectories) {
            const table = reader.episode(spec.episode, spec.agent);
            const expected = records(spec);
            expect(table.numRows).toBe(expected.length);
            const obs = table.getChild('observation.state');
            const act = table.getChild('action');
            for (let i = 0; i < expected.length; i++) {
              const e = expected[i] as StepRecord;
              const row = table.get(i)?.toJSON() as Record<string, unknown>;
              expect(Number(row.episode_index)).toBe(e.episodeIndex);
              expect(Number(row.frame_index)).toBe(e.frameIndex);
              // One environment: its own counters are the run's.
              expect(Number(row.env_episode_index)).toBe(e.episodeIndex);
              expect(Number(row.env_step)).toBe(e.frameIndex);
              expect(row.timestamp).toBe(e.timestamp);
              expect(row.agent_id).toBe(e.agentId);
              expect(row.scenario_id).toBe(e.scenarioId);
              expect(Object.is(row['next.reward'], e.reward)).toBe(true);
              expect([row['next.done'], row['next.truncated'], row.is_first, row.is_last, row.is_terminal]).toEqual([
                e.done,
                e.truncated,
                e.isFirst,
                e.isLast,
                e.isTerminal,
              ]);
              expect(bits(obs?.get(i).toArray() as Float32Array)).toEqual(bits(e.observation as Float32Array));
              const a = act?.get(i);
              if (shape.action.kind === 'discrete') expect(Number(a)).toBe(e.action === null ? 0 : e.action);
              else if (shape.action.kind === 'box') {
                const want = e.action === null ? new Float32Array(shape.action.width) : (e.action as Float32Array);
                expect(bits(a.toArray() as Float32Array)).toEqual(bits(want));
              } else {
                // FixedSizeList<int64, k>: every entry exactly, as int64 (no detour through float).
                const width = shape.action.kind === 'multi-binary' ? shape.action.n : shape.action.nvec.length;
                expect([...(a.toArray() as BigInt64Array)]).toEqual(int64s(e.action as Action | null, width));
              }
            }
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      t.cleanup();
    }
  });
});
