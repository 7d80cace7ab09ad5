package dev.pmm.support;

import dev.pmm.config.ConfigKeys;
import dev.pmm.config.PmmConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared helpers for the import and export tests: fixtures, table contents, directory states. */
public final class CliRun {
  private CliRun() {}

  /** A fixture under ../shared/fixtures/pmm-ledgers; the test is skipped with a message when missing. */
  public static Path fixture(String name) {
    Path shared = Path.of(System.getProperty("pmm.shared.dir", "../shared"));
    Path file = shared.resolve("fixtures/pmm-ledgers/" + name);
    Assumptions.assumeTrue(Files.isReadable(file), "skipped: real-ledger fixture not found at " + file.toAbsolutePath());
    return file;
  }

  /** Every row of a table (all columns as text), in the given order; the ledger is shut down after. */
  public static List<List<String>> rows(Path dataDir, String query) {
    String url = PmmConfig.jdbcUrl(new JsonObject().put(ConfigKeys.DATA_DIR, dataDir.toString())) + ";ifexists=true";
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "SA", "")) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>(columns);
          for (int i = 1; i <= columns; i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
      }
      c.createStatement().execute("SHUTDOWN");
    } catch (SQLException e) {
      throw new AssertionError("sql failed: " + e.getMessage(), e);
    }
    return rows;
  }

  public static List<List<String>> events(Path dataDir) {
    return rows(dataDir, "SELECT id, ts, kind, content, meta, prev_hash, hash FROM events ORDER BY id");
  }

  /** Names, sizes and modification times of everything under dir ("absent" when it does not exist). */
  public static String state(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return "absent";
    }
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
            : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    }
    // Temporary import dirs beside the data dir must be gone too.
    try (Stream<Path> siblings = Files.list(dir.toAbsolutePath().getParent())) {
      siblings.filter(p -> p.getFileName().toString().contains(".import-")).forEach(p -> files.put("LEFTOVER " + p, ""));
    }
    return files.toString();
  }
}
