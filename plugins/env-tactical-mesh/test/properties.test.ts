import { createRng } from '@twinforge/core';
import { dbToLinear, freeSpacePathLossDb, logDistancePathLossDb } from '@twinforge/physics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tacticalMeshConfig } from '../src/config.js';
import { attemptSuccess, sinrAt, updateInterference, updateJamming } from '../src/interference.js';
import { MeshState } from '../src/mesh-state.js';
import { packetSuccess, packetSuccessReference, pathGain, radioModel } from '../src/radio.js';
import { RandomizedScenarioGenerator } from '../src/randomized-scenarios.js';
import { TacticalMeshEnv } from '../src/tactical-mesh-env.js';
import { updateGains } from '../src/topology.js';

const meshCase = fc.record({
  nodes: fc.integer({ min: 2, max: 10 }),
  channels: fc.integer({ min: 1, max: 3 }),
  load: fc.double({ min: 0, max: 30, noNaN: true }),
  queue: fc.integer({ min: 1, max: 40 }),
  timeout: fc.double({ min: 0.5, max: 5, noNaN: true }),
  retries: fc.integer({ min: 0, max: 4 }),
  maxHops: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 2 ** 30 }),
  width: fc.double({ min: 300, max: 6000, noNaN: true }),
});

describe('packet accounting (fast-check)', () => {
  it('conserves packets, never delivers more than was offered, and never beats the propagation + transmission bound', () => {
    fc.assert(
      fc.property(meshCase, (k) => {
        const env = new TacticalMeshEnv({
          nodes: k.nodes,
          channels: k.channels,
          offeredLoad_Mbps: k.load,
          queuePackets: k.queue,
          packetTimeout_s: k.timeout,
          retries: k.retries,
          maxHops: k.maxHops,
          width_m: k.width,
          height_m: k.width,
          horizon: 25,
          maxNeighbors: 3,
        });
        const gen = new RandomizedScenarioGenerator({
          nodes: k.nodes,
          channels: k.channels,
          width_m: k.width,
          height_m: k.width,
          horizon_s: 25,
          loadLevels_Mbps: [k.load],
        });
        const rng = createRng(k.seed);
        const scenario = gen.sample({}, rng.split('scenario'));
        let worstSlack = Number.POSITIVE_INFINITY;
        let minBoundPerHop = Number.POSITIVE_INFINITY;
        env.observe({
          delivered(_origin, latency, bound, hops) {
            worstSlack = Math.min(worstSlack, latency - bound);
            minBoundPerHop = Math.min(minBoundPerHop, bound / hops);
          },
        });
        env.reset({ seed: k.seed, options: { scenario } });
        const actions = rng.split('actions');
        while (env.agents.length > 0) {
          const act: Record<string, Int32Array> = {};
          for (const a of env.agents) act[a] = env.actionSpace(a).sample(actions);
          env.step(act);
          const t = env.totals;
          const queued = env.view.queuedTotal();
          expect(t.delivered + t.dropped + queued).toBe(t.generated);
          expect(t.delivered).toBeLessThanOrEqual(t.generated);
          expect(env.metrics?.queued).toBe(queued);
          for (let i = 0; i < k.nodes; i++) expect(env.view.queueLen[i]).toBeLessThanOrEqual(k.queue);
          expect(env.metrics?.throughput_Mbps).toBeGreaterThanOrEqual(0);
        }
        expect(worstSlack).toBeGreaterThanOrEqual(-1e-12);
        if (Number.isFinite(minBoundPerHop)) expect(minBoundPerHop).toBeGreaterThanOrEqual(env.radio.packetAirtime_s);
      }),
      { numRuns: 40 },
    );
  });
});

describe('jamming (fast-check)', () => {
  const geometry = fc.record({
    n: fc.integer({ min: 2, max: 8 }),
    channels: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    jammers: fc.array(
      fc.record({
        x: fc.double({ min: 0, max: 5000, noNaN: true }),
        y: fc.double({ min: 0, max: 5000, noNaN: true }),
        radius: fc.double({ min: 1, max: 4000, noNaN: true }),
        power: fc.double({ min: 0, max: 100, noNaN: true }),
        channel: fc.nat(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });

  it("a jammed link's SINR (and attempt success) never exceeds its unjammed value", () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const config = tacticalMeshConfig({ nodes: g.n, channels: g.channels });
        const radio = radioModel(config);
        const s = new MeshState(g.n, g.channels, 4, 10);
        const rng = createRng(g.seed);
        for (let i = 0; i <= g.n; i++) {
          s.posX[i] = rng.uniform(0, 5000);
          s.posY[i] = rng.uniform(0, 5000);
        }
        s.alive.fill(1);
        s.shadow.fill(1);
        s.degrade.fill(1);
        for (let i = 0; i < g.n; i++) {
          s.channel[i] = rng.int(0, g.channels - 1);
          s.txPowerW[i] = radio.powerLevelsW[rng.int(0, radio.powerLevelsW.length - 1)] as number;
          s.activity[i] = rng.uniform();
        }
        updateGains(s, radio);
        const jammers = g.jammers.map((j) => ({
          powerW: j.power,
          position: { x: j.x, y: j.y },
          radiusM: j.radius,
          channel: j.channel % g.channels,
        }));
        const pairs = (fn: (i: number, j: number, c: number) => number) => {
          const out: number[] = [];
          for (let i = 0; i < g.n; i++)
            for (let j = 0; j <= g.n; j++) for (let c = 0; c < g.channels; c++) if (i !== j) out.push(fn(i, j, c));
          return out;
        };
        updateJamming(s, radio, []);
        updateInterference(s, radio);
        const clearSinr = pairs((i, j, c) => sinrAt(s, radio, j, i, c, s.txPowerW[i] as number));
        const clearP = pairs((i, j, c) => attemptSuccess(s, radio, i, j, c, s.txPowerW[i] as number));
        updateJamming(s, radio, jammers);
        updateInterference(s, radio);
        const jammedSinr = pairs((i, j, c) => sinrAt(s, radio, j, i, c, s.txPowerW[i] as number));
        const jammedP = pairs((i, j, c) => attemptSuccess(s, radio, i, j, c, s.txPowerW[i] as number));
        for (let k = 0; k < clearSinr.length; k++) {
          expect(jammedSinr[k]).toBeLessThanOrEqual(clearSinr[k] as number);
          expect(jammedP[k]).toBeLessThanOrEqual(clearP[k] as number);
        }
        for (const v of s.jamW) expect(v).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });
});

describe('fast paths agree with @twinforge/physics', () => {
  const radio = radioModel(tacticalMeshConfig());
  it('path gain is the log-distance model anchored at the free-space loss at 1 m', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e5, noNaN: true }), (d) => {
        const pl = logDistancePathLossDb(d, 3, 1, freeSpacePathLossDb(400e6, 1));
        expect(pathGain(radio, d) * dbToLinear(pl)).toBeCloseTo(1, 10);
      }),
    );
  });

  it('the per-pair gain matrix equals the scalar model times shadowing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (seed) => {
        const s = new MeshState(5, 1, 2, 2);
        const rng = createRng(seed);
        for (let i = 0; i <= 5; i++) {
          s.posX[i] = rng.uniform(0, 5000);
          s.posY[i] = rng.uniform(0, 5000);
        }
        for (let k = 0; k < s.shadow.length; k++) s.shadow[k] = 1;
        s.degrade.fill(1);
        s.shadow[0 * 6 + 3] = 2;
        s.shadow[3 * 6 + 0] = 2;
        updateGains(s, radio);
        for (let i = 0; i <= 5; i++)
          for (let j = 0; j <= 5; j++) {
            if (i === j) continue;
            const expected = pathGain(radio, s.distance(i, j)) * (s.shadow[i * 6 + j] as number);
            expect((s.gain[i * 6 + j] as number) / expected).toBeCloseTo(1, 10);
          }
      }),
      { numRuns: 30 },
    );
  });

  it('packet success is one minus the Rayleigh outage probability', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (sinr) => {
        expect(packetSuccess(radio, sinr)).toBeCloseTo(packetSuccessReference(radio, sinr), 12);
      }),
    );
  });
});
