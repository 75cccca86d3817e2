import { createRng, type ResetOptions, type Rng } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { Box, Discrete, type ParallelEnv, parallelApiTest } from '../src/index.js';

type Obs = Float32Array;

/** Two agents on a line; 'b' terminates after 3 steps, 'a' is truncated after 5. Deterministic under a seed. */
class TwoAgentEnv implements ParallelEnv<Obs, number> {
  readonly possibleAgents = ['a', 'b'] as const;
  agents: string[] = [];
  protected rng: Rng = createRng(0);
  protected pos: Record<string, number> = {};
  protected t = 0;
  readonly #obs = new Box(-100, 100, { shape: [2] });
  readonly #act = new Discrete(2);

  observationSpace(_agent: string) {
    return this.#obs;
  }
  actionSpace(_agent: string) {
    return this.#act;
  }
  state(): Float32Array {
    return new Float32Array([this.pos.a ?? 0, this.pos.b ?? 0, this.t]);
  }

  reset(options?: ResetOptions) {
    if (options?.seed !== undefined) this.rng = createRng(options.seed);
    this.agents = ['a', 'b'];
    this.t = 0;
    this.pos = { a: this.rng.uniform(-1, 1), b: this.rng.uniform(-1, 1) };
    return { observations: this.observe(this.agents), infos: { a: {}, b: {} } };
  }

  step(actions: Record<string, number>) {
    this.t++;
    const live = this.agents;
    const rewards: Record<string, number> = {};
    const terminations: Record<string, boolean> = {};
    const truncations: Record<string, boolean> = {};
    const infos: Record<string, Record<string, unknown>> = {};
    for (const agent of live) {
      this.pos[agent] = (this.pos[agent] as number) + (actions[agent] === 1 ? 0.1 : -0.1);
      rewards[agent] = this.reward(agent);
      terminations[agent] = agent === 'b' && this.t >= 3;
      truncations[agent] = this.t >= 5;
      infos[agent] = {};
    }
    const observations = this.observe(live);
    this.agents = live.filter((g) => !terminations[g] && !truncations[g]);
    return { observations, rewards, terminations, truncations, infos };
  }

  protected reward(agent: string): number {
    return -Math.abs(this.pos[agent] as number);
  }

  protected observe(agents: readonly string[]): Record<string, Obs> {
    const out: Record<string, Obs> = {};
    for (const g of agents) out[g] = new Float32Array([this.pos[g] as number, this.t]);
    return out;
  }
}

class WrongShapeEnv extends TwoAgentEnv {
  protected override observe(agents: readonly string[]) {
    const out = super.observe(agents);
    if (out.b) out.b = new Float32Array(3);
    return out;
  }
}

let drift = 0;
class UnseededEnv extends TwoAgentEnv {
  override reset(options?: ResetOptions) {
    drift += 1;
    return super.reset({ seed: (options?.seed ?? 0) + drift });
  }
}

class NanRewardEnv extends TwoAgentEnv {
  protected override reward(agent: string) {
    return agent === 'b' ? Number.NaN : 0;
  }
}

class ZombieEnv extends TwoAgentEnv {
  override step(actions: Record<string, number>) {
    const r = super.step(actions);
    if (this.t === 4) this.agents = ['a', 'b'];
    return r;
  }
}

class MissingRewardEnv extends TwoAgentEnv {
  override step(actions: Record<string, number>) {
    const r = super.step(actions);
    delete r.rewards.a;
    return r;
  }
}

function expectFails(env: TwoAgentEnv, pattern: RegExp): void {
  let err: unknown;
  try {
    parallelApiTest(env);
  } catch (e) {
    err = e;
  }
  expect(err).toMatchObject({ code: 'ENV_CHECK_FAILED' });
  expect((err as Error).message).toMatch(pattern);
}

describe('parallelApiTest', () => {
  it('passes a correct parallel environment', () => {
    expect(() => parallelApiTest(new TwoAgentEnv())).not.toThrow();
    expect(() => parallelApiTest(new TwoAgentEnv(), { seed: 5, numCycles: 2 })).not.toThrow();
  });

  it('catches an agent observation of the wrong shape', () => {
    expectFails(
      new WrongShapeEnv(),
      /observation of agent 'b' is not in its observationSpace: got Float32Array of length 3/,
    );
  });

  it('catches a reset that is not deterministic under a seed', () => {
    expectFails(new UnseededEnv(), /reset\(\{ seed: 0 \}\) is not deterministic/);
  });

  it('catches a NaN reward', () => {
    expectFails(new NanRewardEnv(), /non-finite reward NaN for agent 'b'/);
  });

  it('catches an agent that comes back after it is done', () => {
    expectFails(new ZombieEnv(), /agent 'b' is live again after it was done/);
  });

  it('catches a per-agent dict with a missing agent', () => {
    expectFails(
      new MissingRewardEnv(),
      /step\(\) rewards \(step 1\) has keys \[b\], expected the live agents \[a, b\]/,
    );
  });
});
