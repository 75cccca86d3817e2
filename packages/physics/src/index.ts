// Public surface of @twinforge/physics: pure models in SI units (W, Hz, s, m, bit, cycles).
export * from './allocation.js';
export * from './compute.js';
export * from './dirs-instance.js';
export * from './fading.js';
export * from './fifo-queue.js';
export * from './jamming.js';
export * from './mobility.js';
export * from './objective.js';
export * from './pathloss.js';
export * from './presets.js';
export * from './queueing.js';
export * from './rate.js';
export * from './units.js';
export * from './vm-queue.js';
