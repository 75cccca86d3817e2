import { type Host, isTwinforgeError, type Registry, TwinforgeError } from '@twinforge/core';
import type { z } from 'zod';
import { parseOrThrow } from './config-issues.js';
import type { Part, PipelineDefinition } from './pipeline-definition.js';

type AnyRegistry = Registry<{ configSchema: z.ZodType }>;

/**
 * Resolves every id of the definition and validates every config against its contribution's schema before anything
 * runs, so a typo fails in a second with the field named from the file's root (`environment.config.channels`,
 * `evaluation.baselines[1].id`) instead of minutes into a run.
 */
export function checkContributions(host: Host, definition: PipelineDefinition, file: string): void {
  const checks: [AnyRegistry, Part, string][] = [
    [host.environments, definition.environment, 'environment'],
    [host.generators, definition.generator, 'generator'],
    [host.learners, definition.learner, 'learner'],
    ...definition.evaluation.baselines.map((b, i): [AnyRegistry, Part, string] => [
      host.learners,
      b,
      `evaluation.baselines[${i}]`,
    ]),
  ];
  for (const [registry, part, field] of checks) {
    let schema: z.ZodType;
    try {
      schema = registry.get(part.id).contribution.configSchema;
    } catch (error) {
      if (!isTwinforgeError(error)) throw error;
      throw new TwinforgeError(error.code, `${file}: ${field}.id: ${error.message}`, {
        cause: error,
        details: { ...error.details, file, field: `${field}.id` },
      });
    }
    parseOrThrow(schema, part.config, file, `${field}.config`, ` (fields of the ${registry.kind} "${part.id}")`);
  }
}
