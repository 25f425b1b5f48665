/**
 * Provider health: a circuit breaker per provider and operation, its state in the store so every instance sees the
 * same. `failureThreshold` failures within `windowSeconds` open it: for `openSeconds` the provider is left out
 * (sessions do not list it where another provider can take the method; a click goes to the next one). Then one request,
 * the probe, may try it again: a success closes the breaker, a failure opens it for another `openSeconds`.
 */
import type { ProviderName } from '../../core/model.ts';
import type { KassaStore } from '../stores/store.ts';

/** The operations whose failures are counted: starting a payment, and listing methods. */
export type HealthOperation = 'create' | 'methods';

export interface HealthConfig {
  /** Failures within the window that open the breaker; 5 by default. */
  failureThreshold?: number;
  /** The window failures are counted in; 60 s by default. */
  windowSeconds?: number;
  /** How long an open breaker keeps the provider out before a probe; 30 s by default. */
  openSeconds?: number;
}

/** `closed`: in use. `open`: left out. `probing`: open time is over; one request may try it. */
export type BreakerState = 'closed' | 'open' | 'probing';

/**
 * The breaker's shared record: open until when (absent when closed), and the generation its failures are counted
 * under — closing starts a new one, so failures from before the outage do not reopen a recovered provider.
 */
interface BreakerRecord {
  openUntil?: number;
  generation: number;
}

/** Kept well past any open time: the probing state lasts until a request settles it. */
const RECORD_TTL_MS = 24 * 60 * 60 * 1000;

/** How long one instance reuses a breaker state it read, so a session costs no store round trip per provider. */
const LOCAL_CACHE_MS = 1_000;

export class ProviderHealth {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly openMs: number;
  private readonly cache = new Map<string, { record: BreakerRecord; readAt: number }>();

  constructor(
    private readonly deps: { store: KassaStore; owner: string; config?: HealthConfig; onError: (error: unknown, context: string) => void },
  ) {
    this.threshold = deps.config?.failureThreshold ?? 5;
    this.windowMs = (deps.config?.windowSeconds ?? 60) * 1000;
    this.openMs = (deps.config?.openSeconds ?? 30) * 1000;
  }

  /** The breaker's state now. A store that cannot be read counts as closed: health never blocks payments by itself. */
  async state(provider: ProviderName, operation: HealthOperation): Promise<BreakerState> {
    const { openUntil } = await this.read(provider, operation);
    if (openUntil === undefined) return 'closed';
    return Date.now() < openUntil ? 'open' : 'probing';
  }

  /**
   * The breakers' states now, one per provider, from one clock reading: what routing a session depends on. Cached
   * records are read without a round trip through the event loop per provider.
   */
  async states(providers: readonly ProviderName[], operation: HealthOperation): Promise<BreakerState[]> {
    const read = providers.map((provider) => this.fresh(stateKey(provider, operation)) ?? this.read(provider, operation));
    const records = read.some((record) => record instanceof Promise) ? await Promise.all(read) : (read as BreakerRecord[]);
    const now = Date.now();
    return records.map(({ openUntil }) => (openUntil === undefined ? 'closed' : now < openUntil ? 'open' : 'probing'));
  }

  /**
   * Whether a request may go to the provider now: closed, or probing and this caller won the probe (one request per
   * instance set at a time; its outcome closes or reopens the breaker).
   */
  async admit(provider: ProviderName, operation: HealthOperation): Promise<boolean> {
    const state = await this.state(provider, operation);
    if (state === 'closed') return true;
    if (state === 'open') return false;
    return this.deps.store.acquireLease(probeKey(provider, operation), this.deps.owner, this.openMs).catch(() => false);
  }

  async succeeded(provider: ProviderName, operation: HealthOperation): Promise<void> {
    const current = await this.read(provider, operation);
    if (current.openUntil === undefined) return;
    try {
      await this.write(provider, operation, { generation: current.generation + 1 });
      await this.deps.store.releaseLease(probeKey(provider, operation), this.deps.owner);
    } catch (error) {
      this.deps.onError(error, `closing the ${provider} ${operation} breaker`);
    }
  }

  async failed(provider: ProviderName, operation: HealthOperation): Promise<void> {
    try {
      const current = await this.read(provider, operation);
      const probe = current.openUntil !== undefined;
      // A failed probe reopens at once; an open breaker ignores failures; otherwise they count towards the threshold.
      if (probe && Date.now() < current.openUntil!) return;
      const failures = `health-failures:${provider}:${operation}:${current.generation}`;
      if (!probe && (await this.deps.store.hit(failures, this.threshold - 1, this.windowMs))) return;
      await this.write(provider, operation, { openUntil: Date.now() + this.openMs, generation: current.generation });
      await this.deps.store.releaseLease(probeKey(provider, operation), this.deps.owner);
      this.deps.onError(new Error(`Kassa: ${provider} ${operation} failed ${probe ? 'its probe' : `${this.threshold} times`}: left out for ${this.openMs / 1000} s`), 'provider health');
    } catch (error) {
      this.deps.onError(error, `recording a ${provider} ${operation} failure`);
    }
  }

  private fresh(key: string): BreakerRecord | undefined {
    const cached = this.cache.get(key);
    return cached && Date.now() - cached.readAt < LOCAL_CACHE_MS ? cached.record : undefined;
  }

  private async read(provider: ProviderName, operation: HealthOperation): Promise<BreakerRecord> {
    const key = stateKey(provider, operation);
    const cached = this.fresh(key);
    if (cached) return cached;
    let record: BreakerRecord = { generation: 0 };
    try {
      record = parseRecord(await this.deps.store.getValue(key));
    } catch (error) {
      this.deps.onError(error, `reading the ${provider} ${operation} breaker`);
    }
    this.cache.set(key, { record, readAt: Date.now() });
    return record;
  }

  private async write(provider: ProviderName, operation: HealthOperation, record: BreakerRecord): Promise<void> {
    const key = stateKey(provider, operation);
    this.cache.set(key, { record, readAt: Date.now() });
    await this.deps.store.setValue(key, JSON.stringify(record), RECORD_TTL_MS);
  }
}

/** The stored record; a missing or unreadable one is a closed breaker of generation 0. */
export function parseRecord(value: string | undefined): BreakerRecord {
  if (!value) return { generation: 0 };
  try {
    const parsed = JSON.parse(value) as Partial<BreakerRecord>;
    const generation = Number.isSafeInteger(parsed.generation) ? parsed.generation! : 0;
    return typeof parsed.openUntil === 'number' ? { openUntil: parsed.openUntil, generation } : { generation };
  } catch {
    return { generation: 0 };
  }
}

const stateKey = (provider: ProviderName, operation: HealthOperation) => `health:${provider}:${operation}`;
const probeKey = (provider: ProviderName, operation: HealthOperation) => `health-probe:${provider}:${operation}`;
