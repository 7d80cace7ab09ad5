package dev.pmm.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The ledger's one writing connection, with plain JDBC on one thread (every method blocks). A batch
 * is one call: the INSERTs and the commit, which with HSQLDB's {@code WRITE DELAY FALSE} returns
 * only after the log is synced. Through the Vert.x pool a batch took five hops between the event
 * loop and a worker (get the connection, begin, execute, commit, release), each a thread wake-up
 * that costs more than the sync itself when the CPU is contended; here it takes one.
 */
final class EventWriter implements BatchWriter {

  private final Connection connection;
  private final PreparedStatement insert;

  EventWriter(Connection connection) throws SQLException {
    this.connection = connection;
    connection.setAutoCommit(false);
    insert = connection.prepareStatement(SqlQueries.INSERT_EVENT);
  }

  /** When it throws, the transaction was rolled back (see {@link BatchWriter#write}). */
  @Override
  public void write(List<Event> events, List<String> metaTexts) throws SQLException {
    try {
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        insert.setLong(1, e.id());
        insert.setString(2, e.ts());
        insert.setString(3, e.kind());
        insert.setString(4, e.content());
        insert.setString(5, metaTexts.get(i));
        insert.setString(6, e.prevHash());
        insert.setString(7, e.hash());
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        insert.clearBatch();
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
