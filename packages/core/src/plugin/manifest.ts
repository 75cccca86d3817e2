import semver from 'semver';
import { z } from 'zod';

/** npm package name rules (lower case, optional scope, url-safe). */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
/** Contribution ids: what users type in configs and CLIs. */
export const CONTRIBUTION_ID = /^[a-z0-9][a-z0-9._-]*$/;

const idList = z.array(z.string().regex(CONTRIBUTION_ID, 'ids are lower-case letters, digits, ".", "_" or "-"'));

/** Strict: unknown keys are rejected so typos ("dependOn") never pass silently. */
export const manifestSchema = z.strictObject({
  name: z.string().regex(NPM_NAME, 'must be a valid npm package name'),
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semver version such as 0.1.0'),
  apiVersion: z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range such as ^1.0.0'),
  description: z.string().optional(),
  dependsOn: z.array(z.string().regex(NPM_NAME, 'must be a plugin (package) name')).default([]),
  provides: z
    .strictObject({
      environments: idList.default([]),
      generators: idList.default([]),
      learners: idList.default([]),
      services: z.array(z.string()).default([]),
    })
    .default({ environments: [], generators: [], learners: [], services: [] }),
});

export type PluginManifestInput = z.input<typeof manifestSchema>;
export type PluginManifest = z.output<typeof manifestSchema>;
