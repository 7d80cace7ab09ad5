package dev.pmm.ledger;

import dev.pmm.config.PmmConfig;
import dev.pmm.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventWriterTest {

  @TempDir
  Path dataDir;

  @Test
  void aBatchThatFailsHalfwayLeavesNothingAndTheWriterGoesOn() throws SQLException {
    String url = PmmConfig.jdbcUrl(TestLedger.config(dataDir));
    try (Connection admin = DriverManager.getConnection(url, "SA", "")) {
      try (Statement st = admin.createStatement()) {
        for (String ddl : SqlQueries.SCHEMA) {
          st.execute(ddl);
        }
      }
      try (EventWriter writer = new EventWriter(DriverManager.getConnection(url, "SA", ""))) {
        writer.write(events(1, 3), List.of("{}", "{}", "{}"));
        // Ids 4 and 5 are new but 3 is taken: the whole batch must go, not just the duplicate.
        List<Event> clash = new ArrayList<>(events(4, 2));
        clash.add(events(3, 1).get(0));
        assertThrows(SQLException.class, () -> writer.write(clash, List.of("{}", "{}", "{}")));
        assertEquals(List.of(1L, 2L, 3L), ids(admin));

        writer.write(events(4, 2), List.of("{\"n\": 4}", "{}"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(admin));
      }
      try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery("SELECT meta FROM events WHERE id = 4")) {
        rs.next();
        assertEquals("{\"n\": 4}", rs.getString(1), "the stored meta text is the one given, byte for byte");
      }
      admin.createStatement().execute(SqlQueries.SHUTDOWN);
    }
  }

  private static List<Event> events(long from, int count) {
    List<Event> events = new ArrayList<>();
    for (long id = from; id < from + count; id++) {
      events.add(new Event(id, "2026-01-01T00:00:00+00:00", "user_message", "m" + id, Map.of(), "p" + id, "h" + id));
    }
    return events;
  }

  private static List<Long> ids(Connection connection) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM events ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
