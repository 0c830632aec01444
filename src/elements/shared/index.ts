export * from './events.js';
export * from './localize.js';
export * from './styles.js';
export * from './define.js';
export * from './countdown-controller.js';
export * from './live-region.js';
export * from './relay-failure.js';
