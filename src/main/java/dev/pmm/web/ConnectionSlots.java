package dev.pmm.web;

/**
 * Open /ws and bridge connections, all clients together. Each holds at most a bounded backlog
 * ({@link Outbox}), so their number bounds what slow clients can make the server hold.
 */
final class ConnectionSlots {

  private final int max;
  private int open;

  ConnectionSlots(int max) {
    this.max = max;
  }

  boolean take() {
    if (open >= max) {
      return false;
    }
    open++;
    return true;
  }

  void release() {
    open--;
  }

  int max() {
    return max;
  }
}
