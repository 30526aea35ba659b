/** zsniff as a library: the same pipeline the CLI runs, typed. */
export * from './source/packet-record.js';
