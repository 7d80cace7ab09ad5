package dev.pmm.ledger;

import java.util.concurrent.locks.LockSupport;

/**
 * When to hold the next batch back for senders about to append again: PostgreSQL's
 * {@code commit_delay}, but only when a wait is likely to pay. Senders that wait for their reply
 * before appending again (a turn, a client, the bench's 16 senders) split into two groups that
 * alternate: while one group's batch commits, the other queues, so 16 senders make batches of 8 and
 * each synced commit carries half of what it could. Right after a batch's replies go out, its
 * senders are expected back within microseconds; waiting for them (at most the delay, and only
 * while that many have not yet come back) lets one commit carry both groups.
 *
 * <p>The event loop calls {@link #replied}, {@link #arrived} and {@link #worthWaitingFor}; the
 * writer's thread calls {@link #await}, which the event loop cuts short as soon as enough appends
 * arrived.
 */
final class GroupCommit {

  private final long delayNanos;
  private int awaitedResends;
  private long lastReplyNanos;
  private volatile long arrivals;
  private volatile long awaitedArrivals = Long.MAX_VALUE;
  private volatile Thread waiter;

  GroupCommit(long delayMicros) {
    this.delayNanos = Math.max(0, delayMicros) * 1000;
  }

  /** A batch's {@code count} senders just had their replies, at {@code now} (System.nanoTime). */
  void replied(int count, long now) {
    awaitedResends = count;
    lastReplyNanos = now;
  }

  /** An append arrived; it may be the last one a waiting batch waits for. */
  void arrived() {
    if (awaitedResends > 0) {
      awaitedResends--;
    }
    // Only the event loop writes it, so this increment cannot lose a count.
    long now = ++arrivals;
    Thread thread = waiter;
    if (thread != null && now >= awaitedArrivals) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * How many more appends are worth waiting for before a batch is made from the {@code queued}
   * ones: those of the last batch's senders not back yet, while the delay since their replies has
   * not passed, and no more than fit in the batch. 0: write now.
   */
  int worthWaitingFor(int queued, int batchMax, long now) {
    if (delayNanos == 0 || awaitedResends == 0 || now - lastReplyNanos >= delayNanos) {
      return 0;
    }
    return Math.max(0, Math.min(awaitedResends, batchMax - queued));
  }

  long arrivals() {
    return arrivals;
  }

  /** The end of the wait that {@link #worthWaitingFor} allowed. */
  long deadline() {
    return lastReplyNanos + delayNanos;
  }

  /**
   * Blocks (on the writer's thread, never an event loop) until the count of arrivals reaches
   * {@code target} or System.nanoTime reaches {@code deadline}.
   */
  void await(long target, long deadline) {
    awaitedArrivals = target;
    waiter = Thread.currentThread();
    try {
      long left;
      while (arrivals < target && (left = deadline - System.nanoTime()) > 0) {
        LockSupport.parkNanos(this, left);
      }
    } finally {
      waiter = null;
      awaitedArrivals = Long.MAX_VALUE;
    }
  }
}
