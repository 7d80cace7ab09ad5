package dev.pmm.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Stored events read with plain JDBC, on worker threads only (every method blocks), by one thread at
 * a time. The ledger's event reads come here rather than through the Vert.x JDBC client, whose
 * per-row decoding cost more than HSQLDB's read and the hashing together.
 */
final class RowReader implements AutoCloseable {

  /** One row as stored; {@code metaText} is the stored meta column, parsed only by whoever needs it. */
  record StoredRow(long id, String ts, String kind, String content, String metaText, String prevHash, String hash) {

    /** The event as folds see it; meta that is not a JSON object reads as {} (verify names it). */
    @SuppressWarnings("unchecked")
    Event toEvent() {
      Object meta;
      try {
        meta = PyJson.parse(metaText);
      } catch (IllegalArgumentException e) {
        meta = null;
      }
      return new Event(id, ts, kind, content, meta instanceof Map ? (Map<String, Object>) meta : Map.of(), prevHash, hash);
    }
  }

  /**
   * Readers kept open for the next read instead of closed: HSQLDB writes and syncs its log when a
   * session closes, and such a sync, outside the ledger's one writer, can carry a commit's log
   * record while that commit learns nothing of its failure (see StorageGuard).
   */
  static final class Kept {
    private final Callable<Connection> open;
    private final Deque<RowReader> idle = new ConcurrentLinkedDeque<>();

    Kept(Callable<Connection> open) {
      this.open = open;
    }

    RowReader take() throws SQLException {
      RowReader reader = idle.poll();
      if (reader != null) {
        return reader;
      }
      try {
        return new RowReader(open.call(), this);
      } catch (SQLException e) {
        throw e;
      } catch (Exception e) {
        throw new SQLException(e.getMessage(), e);
      }
    }

    /** Closes the idle readers; once the database is shut down this writes nothing. */
    void closeAll() {
      RowReader reader;
      while ((reader = idle.poll()) != null) {
        try {
          reader.connection.close();
        } catch (SQLException ignored) {
          // the database is gone already
        }
      }
    }
  }

  private final Connection connection;
  private final Kept kept;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  RowReader(Connection connection) {
    this(connection, null);
  }

  private RowReader(Connection connection, Kept kept) {
    this.connection = connection;
    this.kept = kept;
  }

  /**
   * Runs one of the event reads of {@link SqlQueries}: they select the event columns in order, and
   * their last parameter is the limit.
   */
  List<StoredRow> read(String sql, Object[] keys, int limit) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    for (int i = 0; i < keys.length; i++) {
      statement.setObject(i + 1, keys[i]);
    }
    statement.setInt(keys.length + 1, limit);
    List<StoredRow> rows = new ArrayList<>(Math.min(limit, 10_000));
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rows.add(new StoredRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7)));
      }
    }
    return rows;
  }

  /** Back to the readers kept open, if it came from there; closed otherwise. */
  @Override
  public void close() throws SQLException {
    if (kept != null && !connection.isClosed()) {
      kept.idle.push(this);
    } else {
      connection.close();
    }
  }
}
