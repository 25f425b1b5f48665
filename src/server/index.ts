/** `kassa/server`: the endpoint, for Node and other Fetch-API runtimes. Never import this in browser code. */
export { createKassaHandler, type KassaHandler, type KassaPayments } from './handler.ts';
export type { MerchantPayment, PaymentEvent, PaymentEventType, PaymentOperationRecord } from './events/event.ts';
export { PaymentEventHookError, type PaymentEventHook } from './events/delivery.ts';
export { answerClientErrors, createNodeListener, nodeServerOptions, type NodeListenerOptions } from './http/node.ts';
export type { TrustProxy } from './http/trust-proxy.ts';
export { KassaConfigError, OrderRefused, type KassaConfig } from './config.ts';
export { FileStore } from './stores/file-store.ts';
export { RedisStore, type RedisStoreOptions, type RedisCommandClient, type RedisSubscriberClient } from './stores/redis-store.ts';
export { MemoryStore, DEFAULT_PAYMENT_RETENTION_MS, type KassaStore, type StoreOptions, type PaymentRecord, type PendingEvents, type StoredResponse, type IdempotencyClaim } from './stores/store.ts';
export { OperationNotSupported, type Customer, type Address, type OrderLine, type ResolvedOrder, type Environment, type DocumentType, type PaymentOperation, type OperationProblem } from './provider.ts';
export { PaymentOperationError, type CaptureOptions, type CancelOptions, type RefundOptions, type DocumentOptions } from './payments/operations.ts';
export type { MerchantApiConfig } from './config.ts';
