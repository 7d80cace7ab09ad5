package dev.pmm.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** A Python PMM SQLite ledger (table {@code events}), opened read-only and read in rowid order. */
final class SqliteSource implements LedgerSource {

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
      Statement st = connection.createStatement();
      st.setFetchSize(1000);
      rows = st.executeQuery("SELECT id, ts, kind, content, meta, prev_hash, hash FROM events ORDER BY rowid");
    } catch (SQLException e) {
      closeQuietly();
      throw new NotALedger("the SQLite file has no readable events table (id, ts, kind, content, meta, prev_hash, hash): "
          + e.getMessage());
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
