/**
 * The plugin API version of @twinforge/core. Plugins declare a semver range against it in `manifest.apiVersion`.
 * Bump the major when the plugin contract breaks, the minor when it grows.
 */
export const API_VERSION = '1.0.0';

/** The package version of @twinforge/core (a test keeps it equal to package.json). */
export const CORE_VERSION = '0.1.0';
