/**
 * Request transactions each hold a pool connection for the whole request, and a request may need a
 * second one (a forked read, an audit entry kept outside the transaction). Admitting at most half the
 * pool as request transactions keeps the other half free, so concurrent requests can never all hold a
 * connection while waiting for another (a pool deadlock); the rest queue here, in arrival order.
 */
export class TransactionSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.capacity) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
