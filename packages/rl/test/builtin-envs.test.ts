import { createRng, ToyChannelAccessEnv, toyChannelAccessConfigSchema } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { parallelApiTest } from '../src/index.js';

// core's built-in multi-agent environment is held to the same PettingZoo-style conformance as plugin environments.
describe('core built-in environments', () => {
  it('toy-channel-access passes parallelApiTest', () => {
    const env = new ToyChannelAccessEnv(toyChannelAccessConfigSchema.parse({ agents: 4, horizon: 30 }), createRng(1));
    expect(() => parallelApiTest(env, { seed: 3, numCycles: 40 })).not.toThrow();
  });
});
