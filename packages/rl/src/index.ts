// Public surface of @twinforge/rl; nothing outside this file is API.
export { Box, type BoxOptions } from './spaces/box.js';
export { Dict, type DictValue } from './spaces/dict.js';
export { Discrete } from './spaces/discrete.js';
export { flatdim, flatten, unflatten } from './spaces/flatten.js';
export { spaceFromJSON } from './spaces/from-json.js';
export { MultiBinary } from './spaces/multi-binary.js';
export { MultiDiscrete } from './spaces/multi-discrete.js';
export { type FlatArray, type JsonBound, Space, type SpaceJSON, type SpaceValue } from './spaces/space.js';
export { Tuple, type TupleValue } from './spaces/tuple.js';
