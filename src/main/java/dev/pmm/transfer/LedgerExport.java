package dev.pmm.transfer;

import dev.pmm.ledger.PyJson;
import dev.pmm.ledger.SqlQueries;
import io.vertx.core.json.JsonObject;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code pmm export}: the ledger in the Python PMM's JSON export shape, an array of
 * {@code {id, ts, kind, content, meta, prev_hash, hash}} with {@code meta} the stored text as a JSON
 * string, written as {@code json.dump(rows, indent=2)} would (ASCII, non-ASCII escaped). Read in
 * pages of {@link #PAGE} rows, so memory holds one page whatever the ledger's length.
 */
public final class LedgerExport {
  static final int PAGE = 2000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private LedgerExport() {}

  /**
   * Writes the ledger to {@code target} through a temporary file beside it, moved into place only
   * when complete, and returns the events written. The temporary file has a fresh random name and is
   * created exclusively (O_EXCL), so nothing already in the directory, such as a planted
   * {@code target.partial} symlink, is followed or overwritten; the rename replaces {@code target}
   * itself, never a file it links to.
   */
  public static long writeFile(JsonObject config, Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "."
        + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".partial");
    OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      long written;
      try (file) {
        written = write(config, file);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Writes the ledger to {@code out} (not closed) and returns the events written. */
  public static long write(JsonObject config, OutputStream out) throws IOException {
    Connection c = TargetLedger.openExisting(config);
    try {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      long written = 0;
      long after = 0;
      w.write('[');
      try (PreparedStatement page = c.prepareStatement(SqlQueries.READ_AFTER)) {
        while (true) {
          page.setLong(1, after);
          page.setLong(2, Long.MAX_VALUE);
          page.setInt(3, PAGE);
          int rows = 0;
          try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
              StringBuilder e = new StringBuilder(512);
              e.append(written == 0 ? "\n" : ",\n");
              e.append("  {\n    \"id\": ").append(rs.getLong(1));
              field(e, "ts", rs.getString(2));
              field(e, "kind", rs.getString(3));
              field(e, "content", rs.getString(4));
              field(e, "meta", rs.getString(5));
              field(e, "prev_hash", rs.getString(6));
              field(e, "hash", rs.getString(7));
              e.append("\n  }");
              w.write(e.toString());
              after = rs.getLong(1);
              written++;
              rows++;
            }
          }
          if (rows < PAGE) {
            break;
          }
        }
      }
      w.write(written == 0 ? "]\n" : "\n]\n");
      w.flush();
      return written;
    } catch (SQLException e) {
      throw new IOException("reading the ledger failed: " + e.getMessage(), e);
    } finally {
      TargetLedger.shutdown(c);
    }
  }

  private static void field(StringBuilder e, String name, String value) {
    e.append(",\n    \"").append(name).append("\": ");
    if (value == null) {
      e.append("null");
    } else {
      PyJson.canonical(value, e);
    }
  }
}
