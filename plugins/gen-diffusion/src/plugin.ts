import { definePlugin, TwinforgeError, validateConfig } from '@twinforge/core';
import { initTensorBackend } from '@twinforge/tensor';
import { z } from 'zod';
import { DiffusionMapModel } from './diffusion-model.js';
import { DIFFUSION_GENERATOR_ID, DiffusionScenarioGenerator, diffusionGeneratorConfigSchema } from './generator.js';

export const PLUGIN_NAME = '@twinforge/plugin-gen-diffusion';

/** Plugin options: trained models by name, each a checkpoint directory (loaded at start-up) or a model object. */
export const diffusionPluginOptionsSchema = z.strictObject({
  models: z
    .record(
      z.string().min(1),
      z.union([
        z.string().min(1),
        z.custom<DiffusionMapModel>(
          (v) => v instanceof DiffusionMapModel,
          'a checkpoint directory or a DiffusionMapModel',
        ),
      ]),
    )
    .default({}),
});
export type DiffusionPluginOptions = z.input<typeof diffusionPluginOptionsSchema>;

/**
 * A fresh plugin object (its own set of loaded models); the default export is one of these. Registers the generator
 * `diffusion-maps`. Models come from plugin options (`{ plugin, options: { models: {
 * jamming16: 'runs/…/diffusion-16' } } }`): checkpoint directories are loaded during start-up (the tensor backend is
 * initialised then), objects are used as they are. Creating the generator without a model is MODEL_INVALID.
 */
export function createDiffusionPlugin() {
  const loaded = new Map<string, DiffusionMapModel>();
  const owned: DiffusionMapModel[] = [];
  return definePlugin<DiffusionPluginOptions | undefined>({
    manifest: {
      name: PLUGIN_NAME,
      version: '0.1.0',
      apiVersion: '^1.0.0',
      description: 'Conditional diffusion (DDPM/DDIM, classifier-free guidance) over scenario state maps (seed 003)',
      provides: { generators: [DIFFUSION_GENERATOR_ID] },
    },
    async register(ctx, options) {
      const opts = validateConfig(diffusionPluginOptionsSchema, options ?? {}, `${PLUGIN_NAME} options`);
      for (const [name, m] of Object.entries(opts.models)) {
        if (typeof m === 'string') {
          await initTensorBackend({ logger: ctx.logger });
          const model = await DiffusionMapModel.load(m);
          owned.push(model);
          loaded.set(name, model);
        } else loaded.set(name, m);
      }
      ctx.generators.register(DIFFUSION_GENERATOR_ID, {
        configSchema: diffusionGeneratorConfigSchema,
        description:
          'Conditional diffusion model of state maps (e.g. jamming fields conditioned on jammer count and load)',
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
          const baseName = config.cascade?.base;
          const base = baseName === undefined ? undefined : loaded.get(baseName);
          if (baseName !== undefined && !base) {
            throw new TwinforgeError(
              'MODEL_INVALID',
              `${PLUGIN_NAME}: config.cascade.base names no loaded model "${baseName}" (loaded: ${names.join(', ')})`,
            );
          }
          return new DiffusionScenarioGenerator(model, config, `${PLUGIN_NAME}/${DIFFUSION_GENERATOR_ID}`, base);
        },
      });
    },
    dispose() {
      for (const m of owned.splice(0)) m.dispose();
      loaded.clear();
    },
  });
}

export default createDiffusionPlugin();
