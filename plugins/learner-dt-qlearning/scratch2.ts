import { createRng, type Scenario, silentLogger, type TrainContext } from '@twinforge/core';
import { IovEnv, iovConfigSchema } from '@twinforge/plugin-env-iov';
import { DtQLearner } from '@twinforge/plugin-learner-dt-qlearning';
import { lastValueFrom } from 'rxjs';

const empty: Scenario = { id: 'none', seed: 0, params: {}, events: [], provenance: { generator: 'static' } };
const n = +(process.argv[2] ?? 5);
const rng = createRng(1);
const env = new IovEnv(iovConfigSchema.parse({}), rng.split('environment'));
const learner = new DtQLearner({ trials: n, bins: [40, 3, 1, 1, 1, 1, 1] }, rng.split('learner'));
const ctx: TrainContext = {
  env,
  rng: rng.split('training'),
  episodes: 4000,
  maxStepsPerEpisode: 1000,
  signal: new AbortController().signal,
  logger: silentLogger,
  scenarios: { next: () => empty },
  record: () => {},
  feedback: () => {},
};
const t0 = performance.now();
await lastValueFrom(learner.train(ctx));
console.log(n, ((performance.now() - t0) / 1000).toFixed(2), 's', learner.stats);
