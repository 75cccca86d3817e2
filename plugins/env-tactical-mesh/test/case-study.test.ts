import { createRng } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { ReactiveShortestPath, StaticShortestPath } from '../src/baselines.js';
import { CASE_STUDY, caseStudyScenario } from '../src/case-study.js';
import { CaseStudyGenerator } from '../src/case-study-generator.js';
import { TacticalMeshEnv } from '../src/tactical-mesh-env.js';

describe('the seed 003 case study', () => {
  const cs = caseStudyScenario({}, { layoutSeed: 2 });

  it('schedules the jammer at 50 s, the surge from 55 s to 85 s and the relay failure at 60 s', () => {
    const [jam, surge, fail] = cs.scenario.events;
    expect(jam).toMatchObject({ kind: 'jammer-on', t: 50, radius_m: 1000, channel: 0 });
    expect(surge).toMatchObject({ kind: 'traffic-surge', t: 55, factor: 2, duration_s: 30 });
    expect(surge && 'region' in surge).toBe(false);
    expect(fail).toMatchObject({ kind: 'node-fail', t: 60, node: cs.relay.node });
    expect(cs.relay.descendants).toBeGreaterThanOrEqual(1);
    expect(cs.calibratedLoss).toBeCloseTo(CASE_STUDY.jammerLoss, 6);
    const env = new TacticalMeshEnv();
    env.reset({ seed: 0, options: { scenario: cs.scenario } });
    const s = env.view;
    // The gateway stays outside the jammer's radius (otherwise no routing could help).
    expect(Math.hypot((s.posX[s.gw] as number) - cs.jammer.x, (s.posY[s.gw] as number) - cs.jammer.y)).toBeGreaterThan(
      cs.jammer.radius_m,
    );
  });

  it('the jammer causes about 80 % packet loss on links with an end in its radius, and little elsewhere', () => {
    for (const layoutSeed of [1, 2, 3]) {
      const c = caseStudyScenario({}, { layoutSeed });
      const env = new TacticalMeshEnv();
      env.reset({ seed: 11, options: { scenario: c.scenario } });
      const ctl = new StaticShortestPath();
      ctl.reset(env);
      const s = env.view;
      const inside = (k: number) =>
        Math.hypot((s.posX[k] as number) - c.jammer.x, (s.posY[k] as number) - c.jammer.y) <= c.jammer.radius_m;
      const tally = { in: [0, 0], out: [0, 0], before: [0, 0] };
      env.observe({
        transmitted(from, to, _ch, ok, _attempts, t) {
          const hit = inside(from) || inside(to);
          const bin = t < 50 ? (hit ? tally.before : undefined) : t < 60 ? (hit ? tally.in : tally.out) : undefined;
          if (!bin) return;
          bin[0] = (bin[0] as number) + 1;
          if (!ok) bin[1] = (bin[1] as number) + 1;
        },
      });
      while (env.time_s < 60) ctl.step(env);
      const loss = ([sent, lost]: number[]) => (lost as number) / (sent as number);
      expect(tally.in[0]).toBeGreaterThan(200);
      expect(loss(tally.in)).toBeGreaterThan(0.65);
      expect(loss(tally.in)).toBeLessThan(0.95);
      expect(loss(tally.out)).toBeLessThan(0.15);
      expect(loss(tally.before)).toBeLessThan(0.15);
    }
  });

  it('static routing collapses in the jamming + failure window while reactive routing recovers part of it', () => {
    const run = (ctl: StaticShortestPath) => {
      const env = new TacticalMeshEnv();
      env.reset({ seed: 3, options: { scenario: cs.scenario } });
      ctl.reset(env);
      const tp: number[] = [];
      while (env.agents.length > 0) {
        ctl.step(env);
        tp.push(env.metrics?.throughput_Mbps ?? 0);
      }
      const mean = (lo: number, hi: number) => tp.slice(lo, hi).reduce((a, b) => a + b, 0) / (hi - lo);
      return { pre: mean(10, 50), window: mean(60, 85) };
    };
    const st = run(new StaticShortestPath());
    const re = run(new ReactiveShortestPath());
    expect(st.window).toBeLessThan(0.5 * st.pre);
    expect(re.window).toBeGreaterThan(st.window + 0.2 * (st.pre - st.window));
  });

  it('the generator caches per layout and honours a layoutSeed condition', () => {
    const gen = new CaseStudyGenerator();
    const a = gen.sample({ layoutSeed: 2 }, createRng(1));
    const b = gen.sample({ layoutSeed: 2 }, createRng(2));
    expect(a).toBe(b);
    expect(a.params.layoutSeed).toBe(cs.layoutSeed);
    const fixed = new CaseStudyGenerator({ layoutSeed: 2 });
    expect(fixed.sample({}, createRng(5)).events).toEqual(cs.scenario.events);
  });
});
