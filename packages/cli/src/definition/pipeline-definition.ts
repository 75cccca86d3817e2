import { z } from 'zod';

/**
 * What `twinforge run` composes: the same fields whether they come from a JSON/YAML config or from a pipeline.ts
 * default export. Every contribution is addressed by id (`<id>` or `<plugin>/<id>`) and configured by its own zod
 * schema, so a new environment or learner plugs in by being installed and named here, without CLI changes.
 */

const ID = /^[a-z0-9@][a-z0-9@._/-]*$/;

/** `{ id, config }`, or just the id as a string. */
const partSchema = z.union([
  z.string().regex(ID, 'must be a contribution id such as "toy-channel" or "<plugin>/<id>"'),
  z.strictObject({
    id: z.string().regex(ID, 'must be a contribution id such as "toy-channel" or "<plugin>/<id>"'),
    config: z.record(z.string(), z.unknown()).default({}),
  }),
]);

const isPluginObject = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { manifest?: unknown }).manifest === 'object' &&
  typeof (v as { register?: unknown }).register === 'function';

/** A package name (`example` → twinforge-plugin-example), `{ name, options }`, or (in pipeline.ts) a plugin object. */
const pluginSchema = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), options: z.unknown().optional() }),
  z.custom<object>(isPluginObject, 'must be a plugin package name, { name, options } or a definePlugin() object'),
]);

const baselineSchema = z.union([
  z.string().regex(ID, 'must be a learner id'),
  z.strictObject({
    id: z.string().regex(ID, 'must be a learner id'),
    config: z.record(z.string(), z.unknown()).default({}),
    /** Shown in tables and plots; default `<id>`. */
    label: z.string().min(1).optional(),
    /** Training episodes before evaluation (0 for fixed policies such as random or greedy). */
    trainEpisodes: z.number().int().min(0).default(0),
  }),
]);

const conditionSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

export const pipelineDefinitionSchema = z.strictObject({
  /** Names the default run directory (runs/<name>/...). */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"')
    .default('pipeline'),
  description: z.string().optional(),
  plugins: z.array(pluginSchema).default([]),
  environment: partSchema,
  generator: partSchema.default('static'),
  /** Passed to the generator for every scenario (e.g. `{ jammers: 2 }`). */
  condition: conditionSchema.default({}),
  learner: partSchema.default('random'),
  /** Training episodes per seed. */
  episodes: z.number().int().min(1),
  maxStepsPerEpisode: z.number().int().min(1).optional(),
  /** First seed; `--seed` overrides it. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  /** How many seeds (seed, seed+1, ...) or the exact list; learning curves show the band over them. */
  seeds: z.union([z.number().int().min(1).max(64), z.array(z.number().int().min(0)).min(1).max(64)]).default(1),
  evaluation: z
    .strictObject({
      /** Greedy (explore: false) episodes per seed for the trained learner and every baseline. */
      episodes: z.number().int().min(0).default(10),
      /** Learner ids used as baseline policies, evaluated on the same scenarios and reset seeds. */
      baselines: z.array(baselineSchema).default([]),
    })
    .default({ episodes: 10, baselines: [] }),
  dataset: z
    .strictObject({
      /** Write the training trajectories as a Parquet dataset (default true). */
      enabled: z.boolean().default(true),
      /** Catalog id (`namespace/name-vN`). */
      id: z.string().min(1).optional(),
    })
    .default({ enabled: true }),
});

/** What a config file or pipeline.ts may say (defaults filled in by validation). */
export type PipelineDefinitionInput = z.input<typeof pipelineDefinitionSchema>;
type Parsed = z.output<typeof pipelineDefinitionSchema>;

export interface Part {
  id: string;
  config: Record<string, unknown>;
}

export interface Baseline extends Part {
  label: string;
  trainEpisodes: number;
}

/** The validated definition with shorthands expanded: what run.json records as the config used. */
export interface PipelineDefinition
  extends Omit<Parsed, 'environment' | 'generator' | 'learner' | 'seeds' | 'evaluation'> {
  environment: Part;
  generator: Part;
  learner: Part;
  seeds: number[];
  evaluation: { episodes: number; baselines: Baseline[] };
}

const expand = (p: string | { id: string; config: Record<string, unknown> }): Part =>
  typeof p === 'string' ? { id: p, config: {} } : { id: p.id, config: p.config };

/** Expands shorthands and resolves the seed list (`seeds: 3` with `seed: 5` → [5, 6, 7]). */
export function normalizeDefinition(parsed: Parsed, seedOverride?: number): PipelineDefinition {
  const seed = seedOverride ?? parsed.seed;
  const seeds = Array.isArray(parsed.seeds)
    ? seedOverride === undefined
      ? [...parsed.seeds]
      : parsed.seeds.map((_s, i) => seed + i)
    : Array.from({ length: parsed.seeds }, (_v, i) => seed + i);
  return {
    ...parsed,
    seed,
    environment: expand(parsed.environment),
    generator: expand(parsed.generator),
    learner: expand(parsed.learner),
    seeds,
    evaluation: {
      episodes: parsed.evaluation.episodes,
      baselines: parsed.evaluation.baselines.map((b) =>
        typeof b === 'string'
          ? { id: b, config: {}, label: b, trainEpisodes: 0 }
          : { id: b.id, config: b.config, label: b.label ?? b.id, trainEpisodes: b.trainEpisodes },
      ),
    },
  };
}

/** Typed helper for pipeline.ts files: `export default definePipeline({ ... })`. */
export function definePipeline<T extends PipelineDefinitionInput | PipelineFactory>(definition: T): T {
  return definition;
}

/** A pipeline.ts may export a function of the run's arguments instead of a plain object. */
export type PipelineFactory = (args: {
  seed: number | undefined;
}) => PipelineDefinitionInput | Promise<PipelineDefinitionInput>;
