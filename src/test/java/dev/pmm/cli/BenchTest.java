package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pmm bench} at a small size: every measure present and consistent. Counts, never times. */
class BenchTest {

  private static final List<String> LATENCIES = List.of("append_1_sender_latency_ms", "snapshot_bus_after_append_ms",
      "snapshot_bus_unchanged_ms", "snapshot_http_after_append_ms", "snapshot_http_new_connection_after_append_ms",
      "append_to_snapshot_ms", "turn_bus_ms", "turn_ws_ms", "tick_after_append_ms");
  private static final List<String> REPEATED = List.of("append_1_sender_events_per_s", "append_16_senders_events_per_s",
      "append_64_senders_events_per_s", "verify_events_per_s", "cold_start_ms", "cold_start_process_ms",
      "replay_events_per_s", "fold_ms_per_event");
  private static final List<String> VALUES = List.of("fill_events_per_s", "append_16_senders_mean_batch", "heap_after_gc_mb",
      "rss_mb", "rss_peak_mb", "heap_after_cold_start_mb", "heap_after_replay_mb", "heap_after_gc_most_mb", "max_heap_mb", "storage_reads_per_turn", "storage_reads_per_tick",
      "storage_reads_during_snapshots", "cold_start_rows_read", "turn_commits", "turn_events");

  @TempDir
  Path dir;

  @Test
  void everyMeasureOfASmallLedgerWithItsComparison() throws Exception {
    Path file = dir.resolve("bench.json");
    Path markdown = dir.resolve("bench.md");
    CommandLine commandLine = new CommandLine();
    assertEquals(0, commandLine.run("bench", "--events", "2000", "--out", file.toString(), "--markdown", markdown.toString()),
        commandLine.err());
    JsonObject report = new JsonObject(Files.readString(file));
    assertTrue(report.getJsonObject("machine").getInteger("cores") >= 1);
    JsonArray results = report.getJsonArray("results");
    assertEquals(1, results.size());
    JsonObject result = results.getJsonObject(0);
    assertEquals(2000L, result.getLong("events"));
    JsonObject m = result.getJsonObject("measures");
    BenchRun.Plan plan = BenchRun.Plan.forSize(2000);

    for (String key : LATENCIES) {
      JsonObject s = m.getJsonObject(key);
      assertNotNull(s, key);
      int expected = key.startsWith("append_1") ? plan.runs() * plan.appendOne()
          : key.startsWith("turn") ? plan.turns() : key.startsWith("tick") ? plan.ticks() : plan.samples();
      assertEquals(expected, s.getInteger("samples"), key + " keeps every timed sample, no warm-up");
      assertTrue(0 < s.getDouble("min") && s.getDouble("min") <= s.getDouble("p50") && s.getDouble("p50") <= s.getDouble("p99")
          && s.getDouble("p99") <= s.getDouble("max"), key + " " + s);
    }
    for (String key : REPEATED) {
      JsonObject r = m.getJsonObject(key);
      assertNotNull(r, key);
      assertTrue(r.getInteger("runs") >= 1 && r.getJsonArray("each").size() == r.getInteger("runs"), key + " " + r);
      assertTrue(0 < r.getDouble("min") && r.getDouble("min") <= r.getDouble("median") && r.getDouble("median") <= r.getDouble("max"),
          key + " " + r);
    }
    for (String key : VALUES) {
      assertNotNull(m.getJsonObject(key), key);
    }

    assertEquals(0.0, m.getJsonObject("storage_reads_per_tick").getDouble("value"), "a tick reads no storage");
    assertEquals(0.0, m.getJsonObject("storage_reads_during_snapshots").getDouble("value"), "a snapshot reads no storage");
    assertTrue(m.getJsonObject("storage_reads_per_turn").getDouble("value") <= 1, "at most one read per turn");
    assertTrue(m.getBoolean("verify_ok") && m.getBoolean("replay_ok"), "the chain verifies and replay matches the checkpoints");
    assertEquals(m.getLong("events_when_measured"), m.getLong("verified_events"), "verify covered every event");
    assertTrue(m.getLong("events_when_measured") < 2 * 2000 + 2000, "the measures before verify add a few thousand events at most");
    assertTrue(m.getLong("events_at_end") > m.getLong("events_when_measured") + plan.runs() * (plan.appendOne() + 2L * plan.appendMany()),
        "the append runs come last");
    // From a checkpoint each cache reads only the events after it (checkpoint.every = 1000).
    assertTrue(m.getJsonObject("cold_start_rows_read").getDouble("value") < 2 * 1000, m.encode());
    double batch = m.getJsonObject("append_16_senders_mean_batch").getDouble("value");
    assertTrue(batch >= 1 && batch <= 16, "16 senders put 1 to 16 events in a transaction: " + batch);

    JsonArray comparison = result.getJsonArray("comparison");
    assertEquals(BenchReference.ROWS.size(), comparison.size());
    for (Object o : comparison) {
      JsonObject row = (JsonObject) o;
      assertNotNull(row.getDouble("ours"), "ours measured: " + row);
      if (row.getDouble("python") != null && row.getDouble("ours") > 0) {
        assertTrue(row.getDouble("ratio_python") > 0, "ratio to Python: " + row);
      }
      if (row.getDouble("seed") != null && row.getDouble("ours") > 0) {
        assertTrue(row.getDouble("ratio_seed") > 0, "ratio to the seed: " + row);
      }
      assertEquals(row.getDouble("target") != null, row.getValue("pass") != null, "pass/miss wherever a target is: " + row);
    }
    JsonObject reads = comparison.stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("key").equals("storage_reads_per_tick.value")).findFirst().orElseThrow();
    assertEquals(true, reads.getBoolean("pass"));
    assertTrue(commandLine.out().contains("x Python") && commandLine.out().contains("storage reads per tick"), commandLine.out());
    String md = Files.readString(markdown);
    assertTrue(md.contains("| measure | 2,000 events |") && md.contains("| storage reads per tick | 0 |")
        && md.contains("#### 2,000 events: ours beside the seed"), md);
  }

  /** The bench fills with hundreds of appends in flight; they still arrive in order, so each id holds its workload event. */
  @Test
  void theFillWritesTheWorkloadInOrderThroughTheAppendPath() {
    Vertx vertx = Vertx.vertx();
    Workload workload = new Workload(42);
    try {
      await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(TestLedger.config(dir))));
      await(BenchAppender.append(vertx, workload, 0, 3000, BenchRun.FILL_IN_FLIGHT));
      JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
      assertTrue(status.getLong("batches") < 3000, "appends were committed in batches: " + status);
      long after = 0;
      int seen = 0;
      while (after < 3000) {
        JsonObject page = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", after).put("limit", 1000));
        for (Object o : page.getJsonArray("events")) {
          JsonObject event = (JsonObject) o;
          JsonObject expected = workload.event(event.getLong("id") - 1);
          assertEquals(expected.getString("kind"), event.getString("kind"), "kind of " + event.getLong("id"));
          assertEquals(expected.getString("content"), event.getString("content"), "content of " + event.getLong("id"));
          assertEquals(expected.getJsonObject("meta"), event.getJsonObject("meta"), "meta of " + event.getLong("id"));
          seen++;
        }
        after = page.getLong("next_after");
      }
      assertEquals(3000, seen);
      assertTrue(TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null).getBoolean("ok"));
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aBadSizeIsAUsageError() {
    CommandLine commandLine = new CommandLine();
    assertEquals(2, commandLine.run("bench", "--events", "10000,lots"));
    assertTrue(commandLine.err().contains("--events takes ledger sizes"), commandLine.err());
    assertFalse(commandLine.out().contains("=="), "nothing was measured");
  }
}
