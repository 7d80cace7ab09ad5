package dev.pmm.transfer;

import dev.pmm.config.PmmConfig;
import dev.pmm.config.Setting;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Plain-JDBC access to this server's HSQLDB ledger for the one-shot import and export (the server must be stopped). */
final class TargetLedger {
  private TargetLedger() {}

  static String url(JsonObject config) {
    return PmmConfig.jdbcUrl(config);
  }

  /** Opens an existing ledger only (never creates one), with a clear message when the server holds it. */
  static Connection openExisting(JsonObject config) throws IOException {
    return open(url(config) + ";ifexists=true");
  }

  static Connection open(String url) throws IOException {
    try {
      return DriverManager.getConnection(url, "SA", "");
    } catch (SQLException e) {
      throw new IOException(openFailure(url, e), e);
    }
  }

  static String openFailure(String url, SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("lockFile") || message.contains("lock acquisition")) {
      return "the ledger " + url + " is in use by a running PMM server (HSQLDB lock file); stop the server first";
    }
    if (message.contains("does not exist")) {
      return "there is no ledger at " + url;
    }
    return "cannot open the ledger " + url + ": " + message;
  }

  /** Events in the ledger; 0 when it has no events table yet. */
  static long countEvents(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM events")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("object not found")) {
        return 0;
      }
      throw e;
    }
  }

  static void shutdown(Connection c) {
    try (c) {
      c.createStatement().execute("SHUTDOWN");
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  static boolean usesDataDir(JsonObject config) {
    String url = Setting.DB_URL.stringIn(config);
    return url == null || url.isBlank();
  }
}
