package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.EventJson;
import dev.pmm.ledger.HashRule;
import dev.pmm.ledger.PyJson;
import dev.pmm.ledger.Timestamps;
import dev.pmm.metrics.MetricsFold;
import dev.pmm.metrics.MetricsState;
import dev.pmm.projection.ProjectionFold;
import dev.pmm.projection.SelfModel;
import dev.pmm.support.CliRun;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pmm import writes the caches' checkpoints and the record of the chain's verification, so that
 * the first start of an imported mind reads no events, as a restart would not.
 */
class ImportCheckpointTest {

  /** Not a multiple of checkpoint.every: the import's checkpoints stand at the last event, wherever it is. */
  private static final int EVENTS = 3_500;
  private static final String GEMMA = "pmm-v1-gemma3-4b-ledger.json";

  @TempDir
  Path tmp;
  private final CommandLine commandLine = new CommandLine();

  @Test
  void importWritesCheckedCheckpointsOfBothCachesAtTheLastEventAndRecordsTheVerification() throws Exception {
    Path data = importInto(workloadLedger("workload.json", EVENTS, 1), "data");
    String lastHash = CliRun.rows(data, "SELECT hash FROM events WHERE id = " + EVENTS).get(0).get(0);

    List<List<String>> checkpoints = CliRun.rows(data,
        "SELECT cache, last_event_id, event_hash, state, checksum, created_ts FROM checkpoints ORDER BY cache");
    assertEquals(List.of("metrics", "projection"), checkpoints.stream().map(c -> c.get(0)).toList());
    Map<String, String> foldedStates = foldStoredEvents(data);
    for (List<String> c : checkpoints) {
      assertEquals(List.of(String.valueOf(EVENTS), lastHash), c.subList(1, 3), c.get(0));
      assertEquals(sha256(c.get(3)), c.get(4), c.get(0) + ": the checksum of its state");
      assertEquals(foldedStates.get(c.get(0)), c.get(3), c.get(0) + ": the state of a fold of every stored event");
      assertRecent(c.get(5));
    }

    assertEquals(List.of(List.of("metrics", String.valueOf(EVENTS)), List.of("projection", String.valueOf(EVENTS))),
        CliRun.rows(data, "SELECT cache, last_event_id FROM checkpoint_checks ORDER BY cache"));

    List<List<String>> verifications = CliRun.rows(data, "SELECT source, up_to, up_to_hash, ok, break_count, first_break, "
        + "started_ts, finished_ts FROM verifications");
    assertEquals(1, verifications.size());
    List<String> v = verifications.get(0);
    assertEquals(List.of("import", String.valueOf(EVENTS), lastHash, "TRUE", "0"), v.subList(0, 5));
    assertNull(v.get(5));
    assertTrue(!OffsetDateTime.parse(v.get(6)).isAfter(OffsetDateTime.parse(v.get(7))), v.toString());
    assertRecent(v.get(7));
  }

  @Test
  void theFirstStartOfAnImportedMindReadsItsCheckpointsAndNoEvent() throws Exception {
    Path data = importInto(workloadLedger("workload.json", EVENTS, 1), "data");
    onServer(data, vertx -> {
      JsonObject reads = TestLedger.reads(vertx);
      assertEquals(0L, reads.getLong("full_scans"), reads.encode());
      // The ledger's head, the checkpoint it verifies after and, where the ledger reads it, its
      // newest recorded verification (the import's); per cache its newest checkpoint and the hash of
      // that checkpoint's event. No event: without the import's checkpoints the rows read are three
      // times the ledger (verified before serving, then folded by each cache).
      assertTrue(reads.getLong("rows") <= 3 + 2 * 2, reads.encode());
      JsonObject verified = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getJsonObject("verified_before_serving");
      assertEquals(new JsonObject().put("after_event", (long) EVENTS).put("events", 0L).put("ok", true), verified);
      for (String status : List.of(Addresses.PROJECTION_STATUS, Addresses.METRICS_STATUS)) {
        JsonObject cache = TestLedger.request(vertx, status, null);
        assertEquals((long) EVENTS, cache.getLong("checkpoint_loaded_at"), cache.encode());
        assertEquals(0L, cache.getLong("folded"), cache.encode());
        assertEquals(new JsonArray(), cache.getJsonArray("checkpoint_warnings"), cache.encode());
      }
      return null;
    });
  }

  @Test
  void theSnapshotStartedFromTheImportedCheckpointsEqualsAReplayFromTheFirstEvent() throws Exception {
    assertCheckpointsHoldAReplay(workloadLedger("workload.json", EVENTS, 1));
  }

  @Test
  void renumberedEventsAreCheckpointedAsStoredNotAsInTheSource() throws Exception {
    // Ids 10, 20, 30, ...: a commitment expired in the source at id 340 is stored, and must be folded, at 34.
    Path gapped = workloadLedger("gapped.json", EVENTS, 10);
    JsonObject snapshot = assertCheckpointsHoldAReplay(gapped, "--renumber");
    JsonArray expired = snapshot.getJsonObject("commitments").getJsonArray("expired");
    assertTrue(!expired.isEmpty(), snapshot.encode());
    for (Object c : expired) {
      assertTrue(((JsonObject) c).getLong("expired_at") <= EVENTS, c.toString());
    }
  }

  @Test
  void theRealGemmaLedgerIsCheckpointedAsAReplayWouldFoldIt() throws Exception {
    assertCheckpointsHoldAReplay(CliRun.fixture(GEMMA));
  }

  @Test
  void pmmReplayFindsNoDifferenceOnAnImportedLedger() throws Exception {
    Path data = importInto(workloadLedger("workload.json", EVENTS, 1), "data");
    assertEquals(0, commandLine.run("replay", "--data", data.toString()), commandLine.out() + commandLine.err());
    JsonObject report = new JsonObject(commandLine.out());
    assertEquals(true, report.getBoolean("ok"), report.encode());
    for (String cache : List.of("projection", "metrics")) {
      JsonObject compared = report.getJsonObject("checkpoints").getJsonObject(cache);
      assertEquals((long) EVENTS, compared.getLong("checkpoint"), report.encode());
      assertEquals(true, compared.getBoolean("match"), report.encode());
    }
  }

  @Test
  void withCheckpointsTurnedOffTheImportWritesNoneButStillRecordsTheVerification() throws Exception {
    JsonObject config = new JsonObject().put(ConfigKeys.CHECKPOINT_EVERY, 0);
    Path configFile = tmp.resolve("no-checkpoints.json");
    Files.writeString(configFile, config.encode());
    Path data = importInto(workloadLedger("workload.json", 1_200, 1), "data", "--config", configFile.toString());
    assertEquals(List.of(List.of("0", "0")),
        CliRun.rows(data, "SELECT (SELECT COUNT(*) FROM checkpoints), (SELECT COUNT(*) FROM checkpoint_checks) FROM (VALUES (0))"));
    assertEquals(List.of(List.of("import", "1200", "TRUE")), CliRun.rows(data, "SELECT source, up_to, ok FROM verifications"));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Imports {@code source} twice: one data dir keeps the import's checkpoints, the other loses them
   * and replays every event at start. Both serve the same snapshot, which is returned.
   */
  private JsonObject assertCheckpointsHoldAReplay(Path source, String... flags) throws Exception {
    Path checkpointed = importInto(source, "checkpointed", flags);
    Path replayed = importInto(source, "replayed", flags);
    TestLedger.sql(replayed, "DELETE FROM checkpoint_checks", "DELETE FROM checkpoints");
    long events = CliRun.events(checkpointed).size();
    JsonObject fromCheckpoints = onServer(checkpointed, vertx -> {
      assertEquals(0L, TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("folded"));
      assertEquals(0L, TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("folded"));
      return TestLedger.request(vertx, Addresses.SNAPSHOT_FULL, null);
    });
    JsonObject fromReplay = onServer(replayed, vertx -> {
      assertEquals(events, TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("folded"));
      assertEquals(events, TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("folded"));
      return TestLedger.request(vertx, Addresses.SNAPSHOT_FULL, null);
    });
    assertEquals(events, fromCheckpoints.getLong("events"), fromCheckpoints.encode());
    assertEquals(fromReplay, fromCheckpoints);
    return fromCheckpoints;
  }

  private Path importInto(Path source, String dirName, String... flags) {
    Path data = tmp.resolve(dirName);
    List<String> args = new ArrayList<>(List.of("import", source.toString(), "--data", data.toString()));
    args.addAll(List.of(flags));
    assertEquals(0, commandLine.run(args.toArray(String[]::new)), commandLine.err());
    return data;
  }

  private static <T> T onServer(Path data, Function<Vertx, T> body) {
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, TestLedger.config(data)));
      return body.apply(vertx);
    } finally {
      await(vertx.close());
    }
  }

  /**
   * A Python PMM JSON export of {@code count} workload events (identity, commitments, traits,
   * reflections, ticks, conversation), ids {@code idStep}, 2 × {@code idStep}, ..., chained under
   * pmm-2025 over those ids.
   */
  private Path workloadLedger(String name, int count, long idStep) throws Exception {
    Workload workload = new Workload(13);
    Instant start = Instant.parse("2025-09-01T00:00:00Z");
    List<Map<String, Object>> rows = new ArrayList<>(count);
    String prev = null;
    for (int i = 0; i < count; i++) {
      JsonObject event = workload.event(i);
      long id = (i + 1) * idStep;
      String ts = Timestamps.isoformat(start.plusMillis(1500L * i));
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) EventJson.plain(event.getJsonObject("meta"));
      String hash = HashRule.PMM_2025.hash(id, ts, event.getString("kind"), event.getString("content"), meta, prev);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", id);
      row.put("ts", ts);
      row.put("kind", event.getString("kind"));
      row.put("content", event.getString("content"));
      row.put("meta", PyJson.dumps(meta));
      row.put("prev_hash", prev);
      row.put("hash", hash);
      rows.add(row);
      prev = hash;
    }
    Path file = tmp.resolve(name);
    Files.writeString(file, PyJson.dumps(rows), StandardCharsets.UTF_8);
    return file;
  }

  /** Each cache's state, as a checkpoint would hold it, after folding every stored event from the first. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> foldStoredEvents(Path data) {
    ProjectionFold projectionFold = new ProjectionFold(100);
    MetricsFold metricsFold = new MetricsFold();
    SelfModel projection = projectionFold.freshState();
    MetricsState metrics = metricsFold.freshState();
    for (List<String> r : CliRun.events(data)) {
      Event e = new Event(Long.parseLong(r.get(0)), r.get(1), r.get(2), r.get(3),
          (Map<String, Object>) PyJson.parse(r.get(4)), r.get(5), r.get(6));
      projectionFold.fold(projection, e);
      metricsFold.fold(metrics, e);
    }
    return Map.of("projection", PyJson.canonical(projectionFold.saveState(projection)),
        "metrics", PyJson.canonical(metricsFold.saveState(metrics)));
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A timestamp in the server's format, written by this run. */
  private static void assertRecent(String ts) {
    OffsetDateTime written = OffsetDateTime.parse(ts);
    assertTrue(written.isAfter(OffsetDateTime.now().minusMinutes(10)) && !written.isAfter(OffsetDateTime.now()), ts);
  }
}
