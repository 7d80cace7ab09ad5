package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** verify, snapshot and replay against a real data dir, with their exit codes. */
class CliTest {

  private static final Workload WORKLOAD = new Workload(3);

  @TempDir
  Path dataDir;
  private final CommandLine commandLine = new CommandLine();
  private JsonObject snapshot;

  @BeforeEach
  void ledgerOf1200Events() {
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, TestLedger.config(dataDir)));
      await(TestLedger.appendMany(vertx, 1200, i -> WORKLOAD.event(i)));
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.PROJECTION_STATUS, null).getLong("checkpoints_written") >= 1
          && TestLedger.request(vertx, Addresses.METRICS_STATUS, null).getLong("checkpoints_written") >= 1);
      snapshot = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null);
    } finally {
      await(vertx.close());
    }
  }

  private int pmm(String... args) {
    return commandLine.run(args);
  }

  private String out() {
    return commandLine.out();
  }

  @Test
  void verifyReportsIntactThenTheExactBreak() {
    assertEquals(0, pmm("verify", "--data", dataDir.toString(), "--json"), commandLine.err());
    JsonObject report = new JsonObject(out());
    assertEquals(true, report.getBoolean("ok"));
    assertEquals(1200L, report.getLong("events"));
    assertEquals("pmm-2025", report.getString("hash_rule"));

    TestLedger.sql(dataDir, "UPDATE events SET content = 'forged' WHERE id = 777");
    assertEquals(1, pmm("verify", "--data", dataDir.toString(), "--json"));
    report = new JsonObject(out());
    assertEquals(false, report.getBoolean("ok"));
    assertEquals(777L, report.getJsonArray("breaks").getJsonObject(0).getLong("id"));
    assertEquals("hash_mismatch", report.getJsonArray("breaks").getJsonObject(0).getString("reason"));

    assertEquals(1, pmm("verify", "--data", dataDir.toString()));
    assertTrue(out().contains("event 777: hash_mismatch"), out());
  }

  @Test
  void snapshotPrintsWhatTheServerServed() {
    assertEquals(0, pmm("snapshot", "--data", dataDir.toString()), commandLine.err());
    assertEquals(snapshot, new JsonObject(out()));
  }

  @Test
  void replayMatchesTheCheckpointsAndCatchesOneThatLies() {
    assertEquals(0, pmm("replay", "--data", dataDir.toString()), commandLine.err());
    JsonObject report = new JsonObject(out());
    assertEquals(true, report.getBoolean("ok"), report.encodePrettily());
    assertEquals(1000L, report.getJsonObject("checkpoints").getJsonObject("projection").getLong("checkpoint"));

    // A checkpoint with a valid checksum over a wrong state: only a replay can tell.
    String lie = "{\"schema\":1}";
    TestLedger.sql(dataDir, "UPDATE checkpoints SET state = '" + lie + "', checksum = '"
        + dev.pmm.ledger.TestAccess.sha256(lie) + "' WHERE cache = 'projection'");
    assertEquals(1, pmm("replay", "--data", dataDir.toString()));
    assertEquals(false, new JsonObject(out()).getJsonObject("checkpoints").getJsonObject("projection").getBoolean("match"));
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(2, pmm());
    assertEquals(2, pmm("verify", "--bogus"));
    assertEquals(2, pmm("frobnicate"));
    assertEquals(2, pmm("verify", "--data"));
    assertTrue(commandLine.err().contains("--data needs a value"));
  }
}
