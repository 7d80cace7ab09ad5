package dev.pmm.ledger;

import java.sql.SQLException;
import java.util.List;

/**
 * What the ledger needs from its writing connection: one batch per call, committed before the call
 * returns. {@link EventWriter} is the only implementation in production; the interface exists so
 * that a test can put a writer around it that holds or fails a commit on demand (CommitOrderTest),
 * and prove that no append is answered before its commit without timing anything.
 */
interface BatchWriter extends AutoCloseable {

  /**
   * Writes the events, whose stored meta texts are {@code metaTexts} in the same order, in one
   * transaction, and returns only once it is committed. When it throws, nothing of the batch is
   * stored (or, if even the rollback failed, the caller must read the head again to know).
   */
  void write(List<Event> events, List<String> metaTexts) throws SQLException;

  @Override
  void close() throws SQLException;
}
