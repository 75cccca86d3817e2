/**
 * What a Dict or Tuple space would look like flattened into one dataset column, for the error that refuses it: a
 * MultiDiscrete when every part is discrete (Discrete, MultiDiscrete, MultiBinary), otherwise (or with `box`) the Box
 * that @twinforge/rl's flattenSpace gives (discrete parts one-hot), which is what FlattenObservation produces.
 * Only ever called on the error path; the JSON is not validated further than needed to describe it.
 */
export function flatSpaceSuggestion(json: unknown, options: { box?: boolean } = {}): string {
  const nvec: number[] = [];
  let flatdim = 0;
  let continuous = false;
  let known = true;
  const visit = (space: unknown): void => {
    if (typeof space !== 'object' || space === null) {
      known = false;
      return;
    }
    const s = space as Record<string, unknown>;
    switch (s.type) {
      case 'Box': {
        const shape = Array.isArray(s.shape) ? (s.shape as number[]) : [];
        flatdim += shape.reduce((a, b) => a * b, 1);
        continuous = true;
        return;
      }
      case 'Discrete':
        nvec.push(Number(s.n));
        flatdim += Number(s.n);
        return;
      case 'MultiDiscrete':
        for (const n of Array.isArray(s.nvec) ? (s.nvec as number[]) : []) {
          nvec.push(n);
          flatdim += n;
        }
        return;
      case 'MultiBinary':
        for (let i = 0; i < Number(s.n); i++) nvec.push(2);
        flatdim += Number(s.n);
        return;
      case 'Dict': {
        // Sorted keys: the flatten order of @twinforge/rl's Dict (and Gymnasium's).
        const spaces = (s.spaces ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(spaces).sort()) visit(spaces[key]);
        return;
      }
      case 'Tuple':
        for (const child of Array.isArray(s.spaces) ? s.spaces : []) visit(child);
        return;
      default:
        known = false;
    }
  };
  visit(json);
  if (!known) return options.box ? 'a Box' : 'a Box (flattenSpace of @twinforge/rl) or a MultiDiscrete';
  if (options.box) return `Box(shape [${flatdim}])`;
  if (!continuous && nvec.length > 0) return `MultiDiscrete([${nvec.join(', ')}])`;
  return `Box(shape [${flatdim}]) (flattenSpace of @twinforge/rl)`;
}
