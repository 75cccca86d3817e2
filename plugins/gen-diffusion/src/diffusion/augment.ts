import { TwinforgeError } from '@twinforge/core';

/**
 * Index maps of the 8 symmetries of a square grid (the dihedral group D4: rotations by 0/90/180/270° and their
 * mirror images): out[k] = in[perm[k]]. Jamming fields of uniformly placed, isotropic jammers are distributed
 * invariantly under these, so training on transformed copies multiplies the data 8× for free. Maps tied to a fixed
 * geometry (link quality relative to a gateway on the southern edge) are not, so augmentation is opt-in.
 */
export function dihedralPermutations(side: number): Int32Array[] {
  if (!Number.isInteger(side) || side < 1)
    throw new TwinforgeError('INVALID_ARGUMENT', `side must be >= 1, got ${side}`);
  const n = side - 1;
  const maps: ((r: number, c: number) => [number, number])[] = [
    (r, c) => [r, c],
    (r, c) => [c, n - r],
    (r, c) => [n - r, n - c],
    (r, c) => [n - c, r],
    (r, c) => [r, n - c],
    (r, c) => [n - r, c],
    (r, c) => [c, r],
    (r, c) => [n - c, n - r],
  ];
  return maps.map((f) => {
    const perm = new Int32Array(side * side);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const [rr, cc] = f(r, c);
        perm[r * side + c] = rr * side + cc;
      }
    }
    return perm;
  });
}
