import { TwinforgeError } from '../errors.js';
import { CONTRIBUTION_ID } from '../plugin/manifest.js';
import { didYouMean } from '../suggest.js';

export interface RegistryEntry<C> {
  readonly id: string;
  readonly plugin: string;
  readonly contribution: C;
}

/**
 * Contributions of one kind. Ids are unique per kind across all plugins and are addressed as `<id>` or
 * `<plugin>/<id>`. After start-up the registry is frozen: the set of contributions is fixed for the host's life.
 */
export class Registry<C> {
  readonly #entries = new Map<string, RegistryEntry<C>>();
  #frozen = false;

  constructor(readonly kind: string) {}

  add(plugin: string, id: string, contribution: C): void {
    if (this.#frozen) {
      throw new TwinforgeError(
        'REGISTRY_FROZEN',
        `plugin "${plugin}" tried to register ${this.kind} "${id}" after start-up; register everything inside register()`,
        { details: { plugin, id, kind: this.kind } },
      );
    }
    if (!CONTRIBUTION_ID.test(id)) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `plugin "${plugin}": ${this.kind} id "${id}" must be lower-case letters, digits, ".", "_" or "-"`,
      );
    }
    const existing = this.#entries.get(id);
    if (existing) {
      throw new TwinforgeError(
        'PLUGIN_DUPLICATE_ID',
        `${this.kind} id "${id}" is registered by both "${existing.plugin}" and "${plugin}"; rename one of them`,
        { details: { id, kind: this.kind, plugins: [existing.plugin, plugin] } },
      );
    }
    this.#entries.set(id, { id, plugin, contribution });
  }

  freeze(): void {
    this.#frozen = true;
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  has(address: string): boolean {
    return this.#find(address) !== undefined;
  }

  /** Resolves `<id>` or `<plugin>/<id>`; unknown ids fail with UNKNOWN_ID and the closest id as a hint. */
  get(address: string): RegistryEntry<C> {
    const entry = this.#find(address);
    if (entry) return entry;
    const known = [...this.#entries.keys()];
    throw new TwinforgeError(
      'UNKNOWN_ID',
      `unknown ${this.kind} "${address}".${didYouMean(address, known)} Known: ${known.join(', ') || 'none'}`,
      { details: { kind: this.kind, id: address, known } },
    );
  }

  list(): RegistryEntry<C>[] {
    return [...this.#entries.values()];
  }

  #find(address: string): RegistryEntry<C> | undefined {
    const direct = this.#entries.get(address);
    if (direct) return direct;
    const slash = address.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const entry = this.#entries.get(address.slice(slash + 1));
    return entry && entry.plugin === address.slice(0, slash) ? entry : undefined;
  }
}
