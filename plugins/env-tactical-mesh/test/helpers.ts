import type { CoreParallelEnv, ResetOptions, Scenario } from '@twinforge/core';
import type { TacticalMeshConfigInput } from '../src/config.js';
import { TacticalMeshEnv } from '../src/tactical-mesh-env.js';

/** Presents an env whose every reset replays `scenario` (parallelApiTest resets with a seed only). */
export function withScenario<O, A>(env: CoreParallelEnv<O, A>, scenario: Scenario): CoreParallelEnv<O, A> {
  return {
    get possibleAgents() {
      return env.possibleAgents;
    },
    get agents() {
      return env.agents;
    },
    supportedEvents: env.supportedEvents,
    observationSpace: (a) => env.observationSpace(a),
    actionSpace: (a) => env.actionSpace(a),
    reset: (options: ResetOptions = {}) => env.reset({ ...options, options: { ...options.options, scenario } }),
    step: (actions) => env.step(actions),
    state: () => env.state?.(),
  };
}

export function scenario(events: Scenario['events'], params: Scenario['params'] = {}): Scenario {
  return { id: 'test', seed: 0, params, events, provenance: { generator: 'test' } };
}

/** Static nodes at given positions (gateway at (0, 250)), no shadowing: hand-checkable geometry. */
export function staticMesh(positions: number[], config: TacticalMeshConfigInput = {}, seed = 1): TacticalMeshEnv {
  const env = new TacticalMeshEnv({
    nodes: positions.length / 2,
    gateway: { x_m: 0, y_m: 250 },
    shadowingSigma_dB: 0,
    mobility: { model: 'static' },
    ...config,
  });
  env.reset({ seed, options: { positions } });
  return env;
}

/** Every node: next hop = slot `slot`, maximum power, channel 0. */
export function uniformActions(env: TacticalMeshEnv, slot = 0, channel = 0): Record<string, Int32Array> {
  const levels = env.config.powerLevels_dBm.length;
  const out: Record<string, Int32Array> = {};
  for (const a of env.agents) out[a] = Int32Array.of(slot, levels - 1, channel);
  return out;
}
