import { EntityManager, TransactionContext } from '@mikro-orm/core';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent, DomainEventMap, DomainEventName } from './domain-events';

/**
 * MikroORM runs commit hooks only for the root transaction; a savepoint keeps a link to its parent
 * under a private symbol, so events raised inside a nested `transactional` wait for the root commit.
 */
function rootTransaction(tx: object | undefined): object | undefined {
  let current = tx;
  for (let depth = 0; current && depth < 32; depth++) {
    const parentKey = Object.getOwnPropertySymbols(current).find((s) => s.description === 'parentTransaction');
    const parent = parentKey ? (current as Record<symbol, object | undefined>)[parentKey] : undefined;
    if (!parent) return current;
    current = parent;
  }
  return current;
}

/** MikroORM's async context of the open transaction (private in its typings, stable in the pinned 6.x). */
const transactionStorage = (TransactionContext as unknown as { storage: AsyncLocalStorage<unknown> }).storage;

/**
 * Emits domain events only after the surrounding transaction commits, so a listener
 * never sees (or enqueues work for) rows that a rollback would erase.
 */
@Injectable()
export class DomainEventsSubscriber implements EventSubscriber {
  private readonly pending = new WeakMap<object, (() => void)[]>();

  constructor(
    em: EntityManager,
    private readonly emitter: EventEmitter2,
  ) {
    em.getEventManager().registerSubscriber(this);
  }

  /** Emits now when `em` has no open transaction, else when it commits; dropped on rollback. */
  emitAfterCommit<N extends DomainEventName>(em: EntityManager, name: N, payload: DomainEventMap[N]): void {
    this.afterCommit(em, () => this.emit({ name, payload }));
  }

  /**
   * Runs `fn` now when `em` has no open transaction, else once the root transaction commits (a
   * request's whole unit of work); dropped on rollback. For effects outside the database, such as
   * enqueueing a job for rows the transaction writes.
   */
  afterCommit(em: EntityManager, fn: () => void): void {
    const tx = rootTransaction(em.getTransactionContext());
    if (!tx) {
      fn();
      return;
    }
    const list = this.pending.get(tx) ?? [];
    list.push(fn);
    this.pending.set(tx, list);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    const tx = args.transaction as object | undefined;
    if (!tx) return;
    const list = this.pending.get(tx);
    this.pending.delete(tx);
    // The hook runs inside the finished transaction's async context; listeners that query would
    // otherwise resolve their entity manager to it and fail on a completed transaction.
    if (list) transactionStorage.exit(() => list.forEach((fn) => fn()));
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    if (args.transaction) this.pending.delete(args.transaction as object);
  }

  private emit(event: DomainEvent): void {
    this.emitter.emit(event.name, event.payload);
  }
}
