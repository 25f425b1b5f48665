/**
 * The part of `kassa-redirect` that leaves the page: it remembers the pending payment (so the return page can
 * resume), then runs the navigation or form submission it is given. The automatic step waits one task so the
 * message and the fallback button are on screen first, and never runs once the host has left the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { rememberPending, type PendingPayment } from '../../core/pending-payment.ts';

export class RedirectController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private key: object | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Runs `step` on the next task, once, unless `cancel()` or a disconnect comes first. Replaces any earlier step. */
  schedule(key: object, step: () => void): void {
    this.cancel();
    this.key = key;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.key = undefined;
      step();
    }, 0);
  }

  /** Whether a step for `key` is waiting to run. */
  isScheduled(key: object): boolean {
    return this.timer !== undefined && this.key === key;
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.key = undefined;
  }

  /** Remembers `pending` (when given), then leaves with `step` (a navigation or a form submission). */
  leave(pending: Omit<PendingPayment, 'savedAt'> | undefined, step: () => void): void {
    this.cancel();
    if (pending) rememberPending(pending);
    step();
  }

  hostConnected(): void {
    // Back in the page (moved, or re-inserted): let the host decide again whether an automatic step is due.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.cancel();
  }
}
