package dev.pmm.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A Python PMM SQLite ledger (table {@code events}), opened read-only and read in rowid order. The
 * events must be a plain table, read at most {@link TargetIds#MAX_EVENTS} + 1 rows: a view or a
 * virtual table computes its rows, and one over an endless recursive query (sorted by the
 * {@code ORDER BY}) would keep the import reading for ever.
 */
final class SqliteSource implements LedgerSource {

  private static final Pattern VIRTUAL_TABLE = Pattern.compile("\\s*CREATE\\s+VIRTUAL\\s", Pattern.CASE_INSENSITIVE);

  private final Connection connection;
  private final ResultSet rows;
  private long index;
  private long previousId;

  SqliteSource(Path file) throws IOException, NotALedger {
    try {
      Properties props = new Properties();
      props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
      connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), props);
    } catch (SQLException e) {
      throw new IOException("cannot open the SQLite file " + file + ": " + e.getMessage(), e);
    }
    try {
      requirePlainTable();
      Statement st = connection.createStatement();
      st.setFetchSize(1000);
      rows = st.executeQuery("SELECT id, ts, kind, content, meta, prev_hash, hash FROM events ORDER BY rowid LIMIT "
          + (TargetIds.MAX_EVENTS + 1));
    } catch (NotALedger e) {
      closeQuietly();
      throw e;
    } catch (SQLException e) {
      closeQuietly();
      throw new NotALedger("the SQLite file has no readable events table (id, ts, kind, content, meta, prev_hash, hash): "
          + e.getMessage());
    }
  }

  private void requirePlainTable() throws SQLException, NotALedger {
    // SQLite's names are case-insensitive: "FROM events" would read an EVENTS view too. A trigger
    // may share the name (its own namespace), and is never read.
    try (Statement st = connection.createStatement();
         ResultSet schema = st.executeQuery("SELECT type, sql FROM sqlite_master"
             + " WHERE name = 'events' COLLATE NOCASE AND type IN ('table', 'view')")) {
      if (!schema.next()) {
        return; // the read that follows says there is no events table
      }
      String type = schema.getString(1);
      String sql = String.valueOf(schema.getString(2));
      if (!"table".equals(type) || VIRTUAL_TABLE.matcher(sql).lookingAt()) {
        throw new NotALedger("the SQLite file's events is " + ("table".equals(type) ? "a virtual table" : "a " + type)
            + ", not a table: a PMM ledger keeps its events in a table, and computed rows may never end");
      }
    }
  }

  @Override
  public SourceRow next() throws IOException, NotALedger {
    try {
      if (!rows.next()) {
        return null;
      }
      Object id = rows.getObject(1);
      if (id instanceof Integer i) {
        id = i.longValue();
      }
      SourceRow row = LedgerSource.row(index, -1, previousId, id, rows.getObject(2), rows.getObject(3),
          rows.getObject(4), rows.getObject(5), rows.getObject(6), rows.getObject(7));
      index++;
      previousId = row.id();
      return row;
    } catch (SQLException e) {
      throw new IOException("reading the SQLite file failed at row " + index + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String format() {
    return "sqlite";
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // read-only: nothing to lose
    }
  }
}
