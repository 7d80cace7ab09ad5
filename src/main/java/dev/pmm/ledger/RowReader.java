package dev.pmm.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  RowReader(Connection connection) {
    this.connection = connection;
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

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
