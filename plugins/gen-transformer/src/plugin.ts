import { definePlugin, TwinforgeError, validateConfig } from '@twinforge/core';
import { initTensorBackend } from '@twinforge/tensor';
import { z } from 'zod';
import { EventSequenceModel } from './event-model.js';
import { EVENT_GENERATOR_ID, EventScenarioGenerator, eventGeneratorConfigSchema } from './generator.js';

export const PLUGIN_NAME = '@twinforge/plugin-gen-transformer';

/** Plugin options: trained models by name, each a checkpoint directory (loaded at start-up) or a model object. */
export const transformerPluginOptionsSchema = z.strictObject({
  models: z
    .record(
      z.string().min(1),
      z.union([
        z.string().min(1),
        z.custom<EventSequenceModel>(
          (v) => v instanceof EventSequenceModel,
          'a checkpoint directory or an EventSequenceModel',
        ),
      ]),
    )
    .default({}),
});
export type TransformerPluginOptions = z.input<typeof transformerPluginOptionsSchema>;

/**
 * A fresh plugin object (its own set of loaded models); the default export is one of these. Registers the generator
 * `transformer-events`. Models come from plugin options (`{ plugin, options: { models: {
 * mesh: 'runs/…/transformer' } } }`); checkpoint directories are loaded at start-up. Creating the generator without
 * a model is MODEL_INVALID.
 */
export function createTransformerPlugin() {
  const loaded = new Map<string, EventSequenceModel>();
  const owned: EventSequenceModel[] = [];
  return definePlugin<TransformerPluginOptions | undefined>({
    manifest: {
      name: PLUGIN_NAME,
      version: '0.1.0',
      apiVersion: '^1.0.0',
      description: 'Decoder-only transformer over scenario event tokens with constrained decoding (seed 003)',
      provides: { generators: [EVENT_GENERATOR_ID] },
    },
    async register(ctx, options) {
      const opts = validateConfig(transformerPluginOptionsSchema, options ?? {}, `${PLUGIN_NAME} options`);
      for (const [name, m] of Object.entries(opts.models)) {
        if (typeof m === 'string') {
          await initTensorBackend({ logger: ctx.logger });
          const model = await EventSequenceModel.load(m);
          owned.push(model);
          loaded.set(name, model);
        } else loaded.set(name, m);
      }
      ctx.generators.register(EVENT_GENERATOR_ID, {
        configSchema: eventGeneratorConfigSchema,
        description: 'Event timelines (failures, jammers, surges, degradations) from a transformer, always valid',
        create: (config) => {
          const names = [...loaded.keys()];
          const name = config.model ?? (names.length === 1 ? names[0] : undefined);
          const model = name === undefined ? undefined : loaded.get(name);
          if (!model) {
            throw new TwinforgeError(
              'MODEL_INVALID',
              names.length === 0
                ? `${PLUGIN_NAME} has no model: pass plugin options { models: { <name>: <checkpoint dir> } }`
                : `${PLUGIN_NAME}: ${config.model === undefined ? 'several models are loaded; name one with config.model' : `no model "${config.model}"`} (loaded: ${names.join(', ')})`,
            );
          }
          return new EventScenarioGenerator(model, config, `${PLUGIN_NAME}/${EVENT_GENERATOR_ID}`);
        },
      });
    },
    dispose() {
      for (const m of owned.splice(0)) m.dispose();
      loaded.clear();
    },
  });
}

export default createTransformerPlugin();
