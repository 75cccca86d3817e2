// The one tfjs instance twinforge uses. Everything in this package imports tfjs through this module.
//
// Why '@tensorflow/tfjs' is imported for its side effect: in Node, @tensorflow/tfjs-core's CommonJS bundle registers
// no gradient functions (its per-op gradient files are browser ESM that Node cannot load), so tf.grad / variableGrads
// fail with "gradient function not found for Mean". Only the union package's Node bundle registers them. Both
// resolve to the same CommonJS copy of tfjs-core, so kernels, variables and backends are shared.
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
