import { describe, expect, it } from 'vitest';
import { ReactiveShortestPath, StaticShortestPath } from '../src/baselines.js';
import { descendants, shortestPathTree } from '../src/shortest-path.js';
import { connected } from '../src/topology.js';
import { scenario, staticMesh } from './helpers.js';

// Gateway at (0, 250). A chain 0-1-2 out east plus node 3 beside node 2 as an alternative relay towards node 0.
const positions = [3600, 250, 2400, 250, 1200, 250, 1200, 1250];

describe('shortest paths', () => {
  it('finds hop-count routes and counts the nodes behind each relay', () => {
    const env = staticMesh(positions);
    const s = env.view;
    const next = new Int32Array(4);
    const hops = new Int32Array(5);
    shortestPathTree(s, (i, j) => connected(s, env.radio, i, j), next, hops);
    expect(Array.from(hops.subarray(0, 4))).toEqual([3, 2, 1, 1]);
    expect(next[2]).toBe(s.gw);
    expect(next[0]).toBe(1);
    expect([2, 3]).toContain(next[1]);
    const below = descendants(next, s.gw);
    expect(below[1]).toBe(1);
    expect((below[2] as number) + (below[3] as number)).toBe(2);
  });
});

describe('baselines', () => {
  it('static routing keeps its first routes: a failed relay cuts its subtree for good', () => {
    const env = staticMesh(positions, { offeredLoad_Mbps: 0.8 });
    const st = new StaticShortestPath();
    st.reset(env);
    const relay = st.nextHops[1] as number;
    env.reset({ seed: 1, options: { positions, scenario: scenario([{ kind: 'node-fail', t: 5, node: relay }]) } });
    st.reset(env);
    const delivered = (steps: number) => {
      const before = env.totals.delivered;
      for (let k = 0; k < steps; k++) st.step(env);
      return env.totals.delivered - before;
    };
    delivered(5);
    const fromNode0 = { n: 0 };
    env.observe({ delivered: (origin) => origin === 0 && fromNode0.n++ });
    delivered(15);
    expect(fromNode0.n).toBe(0);
  });

  it('reactive routing recomputes around the failure after its reaction delay', () => {
    const env = staticMesh(positions, { offeredLoad_Mbps: 0.8 });
    const probe = new StaticShortestPath();
    probe.reset(env);
    const relay = probe.nextHops[1] as number;
    env.reset({ seed: 1, options: { positions, scenario: scenario([{ kind: 'node-fail', t: 5, node: relay }]) } });
    const re = new ReactiveShortestPath({ reactionDelay_s: 3 });
    re.reset(env);
    const fromNode0: number[] = [];
    env.observe({ delivered: (origin) => origin === 0 && fromNode0.push(env.time_s) });
    while (env.time_s < 20) re.step(env);
    // The relay fails at t = 5 (end of the step 4→5); its absence is seen at once, the new routes serve from t = 8.
    expect(re.recomputations).toEqual([8]);
    expect(re.nextHops[1]).not.toBe(relay);
    // `time_s` during delivery is the start of the step being simulated.
    expect(fromNode0.some((t) => t >= 8)).toBe(true);
    expect(fromNode0.some((t) => t >= 5 && t < 8)).toBe(false);
  });

  it('both baselines use maximum power on the fixed channel', () => {
    const env = staticMesh(positions, { channels: 3 });
    for (const ctl of [new StaticShortestPath({ channel: 2 }), new ReactiveShortestPath({ channel: 2 })]) {
      ctl.reset(env);
      ctl.step(env);
      expect(Array.from(env.view.channel)).toEqual([2, 2, 2, 2]);
      expect(Array.from(env.view.powerLevel)).toEqual([3, 3, 3, 3]);
    }
  });
});
