import { describe, expect, it } from 'vitest';
import { propagationDelay } from '../src/radio.js';
import type { DropCause } from '../src/step-counters.js';
import { scenario, staticMesh, uniformActions } from './helpers.js';

describe('packet forwarding', () => {
  it('a lone packet on an idle link takes exactly one air time plus the propagation delay', () => {
    // One node 200 m from the gateway: success ≈ 1, share 1, no queue.
    const env = staticMesh([0, 450], { offeredLoad_Mbps: 0.012, retries: 0 });
    const latencies: number[] = [];
    env.observe({ delivered: (_o, latency) => latencies.push(latency) });
    for (let k = 0; k < 20; k++) env.step(uniformActions(env));
    expect(latencies.length).toBeGreaterThan(5);
    const expected = env.radio.packetAirtime_s + propagationDelay(200);
    for (const l of latencies) expect(l).toBeCloseTo(expected, 12);
  });

  it('relays over several hops within one step, in order along the chain', () => {
    // A line 1.2 km apart: node 0 is 3 hops out; every node routes to slot 0 (one hop closer).
    const env = staticMesh([3600, 250, 2400, 250, 1200, 250], { offeredLoad_Mbps: 0.3 });
    expect(Array.from(env.view.hop.subarray(0, 3))).toEqual([3, 2, 1]);
    const hops: number[] = [];
    env.observe({ delivered: (origin, _l, _b, h) => origin === 0 && hops.push(h) });
    for (let k = 0; k < 10; k++) env.step(uniformActions(env));
    expect(hops.length).toBeGreaterThan(0);
    expect(hops.every((h) => h === 3)).toBe(true);
    expect(env.metrics?.latency_ms).toBeLessThan(50);
  });

  it('holding fills the queue, then drops overflow; stale packets time out', () => {
    const env = staticMesh([600, 250], { offeredLoad_Mbps: 1.2, queuePackets: 30, packetTimeout_s: 2 });
    const causes: DropCause[] = [];
    env.observe({ dropped: (_o, cause) => causes.push(cause) });
    const hold = uniformActions(env, env.config.maxNeighbors);
    for (let k = 0; k < 5; k++) env.step(hold);
    expect(env.view.queueLen[0]).toBeLessThanOrEqual(30);
    expect(causes).toContain('overflow');
    expect(causes).toContain('timeout');
    expect(env.totals.delivered).toBe(0);
  });

  it('drops packets of a failed node and stops its traffic until it recovers', () => {
    const env = staticMesh([2400, 250, 1200, 250], { offeredLoad_Mbps: 2 });
    env.reset({
      seed: 1,
      options: {
        positions: [2400, 250, 1200, 250],
        scenario: scenario([
          { kind: 'node-fail', t: 3, node: 1 },
          { kind: 'node-recover', t: 6, node: 1 },
        ]),
      },
    });
    const hold = uniformActions(env, env.config.maxNeighbors);
    env.step(hold);
    env.step(hold);
    env.step(hold);
    expect(env.metrics?.drops.failure).toBeGreaterThan(0);
    expect(env.view.alive[1]).toBe(0);
    // Node 0 only hears node 1: with it down it has no neighbour at all.
    expect(env.view.neighbors[0]).toBe(-1);
    const r = env.step(hold);
    expect(r.observations.node_1?.[0]).toBe(0);
    env.step(hold);
    env.step(hold);
    expect(env.view.alive[1]).toBe(1);
    expect(env.view.neighbors[0]).toBe(1);
  });

  it('a routing loop ends in hop-limit drops, not in an endless relay', () => {
    const env = staticMesh([2400, 250, 2000, 250], { offeredLoad_Mbps: 1, maxHops: 4 });
    const loop = uniformActions(env);
    // node_0 → node_1 and node_1 → node_0: find the slots that point at each other.
    const slotOf = (i: number, j: number) => Array.from(env.view.neighbors.subarray(i * 8, i * 8 + 8)).indexOf(j);
    (loop.node_0 as Int32Array)[0] = slotOf(0, 1);
    (loop.node_1 as Int32Array)[0] = slotOf(1, 0);
    for (let k = 0; k < 10; k++) env.step(loop);
    expect(env.metrics?.drops.ttl).toBeGreaterThan(0);
    expect(env.totals.delivered).toBe(0);
  });
});
