/** `kassa/server`: the endpoint, for Node and other Fetch-API runtimes. Never import this in browser code. */
export { createKassaHandler, type KassaHandler } from './handler.ts';
export { answerClientErrors, createNodeListener, nodeServerOptions, type NodeListenerOptions } from './node.ts';
export type { TrustProxy } from './trust-proxy.ts';
export { KassaConfigError, OrderRefused, type KassaConfig } from './config.ts';
export { FileStore } from './file-store.ts';
export { RedisStore, type RedisStoreOptions, type RedisCommandClient, type RedisSubscriberClient } from './redis-store.ts';
export { MemoryStore, DEFAULT_PAYMENT_RETENTION_MS, type KassaStore, type StoreOptions, type PaymentRecord, type StoredResponse, type IdempotencyClaim } from './store.ts';
export type { Customer, Address, OrderLine, ResolvedOrder, Environment } from './provider.ts';
