/**
 * Counts down to a deadline for its host: one tick a second (on the deadline's whole seconds) while connected and not yet expired, a host update per
 * tick, and no timer at all once expired or disconnected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class CountdownController implements ReactiveController {
  private deadline: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The clock, in epoch milliseconds. */
    private readonly now: () => number = () => Date.now(),
  ) {
    host.addController(this);
  }

  /** Counts down to `iso` (an ISO 8601 time); an empty or unreadable value stops the countdown. */
  setDeadline(iso: string | undefined | null): void {
    const time = iso ? Date.parse(iso) : Number.NaN;
    this.deadline = Number.isFinite(time) ? time : undefined;
    this.restart();
  }

  /** Whether there is a deadline to count down to. */
  get active(): boolean {
    return this.deadline !== undefined;
  }

  /** Whole seconds left, rounded up (0 once expired); undefined without a deadline. */
  get secondsLeft(): number | undefined {
    if (this.deadline === undefined) return undefined;
    return Math.max(0, Math.ceil((this.deadline - this.now()) / 1000));
  }

  get expired(): boolean {
    return this.secondsLeft === 0;
  }

  hostConnected(): void {
    this.connected = true;
    this.restart();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private restart(): void {
    this.stop();
    if (!this.connected || this.deadline === undefined || this.expired) return;
    // Tick just after the seconds left drop by one (in (0, 1000] ms), so the text and the expiry are on time.
    const left = this.deadline - this.now();
    const delay = left - (Math.ceil(left / 1000) - 1) * 1000 + 5;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.host.requestUpdate();
      this.restart();
    }, delay);
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
