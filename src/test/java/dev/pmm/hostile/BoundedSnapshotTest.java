package dev.pmm.hostile;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.RawHttp;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mind with many long commitments: every client is served a snapshot of bounded size, while
 * turns and ticks still see every commitment whole (a tick expires them all).
 */
@ExtendWith(VertxExtension.class)
class BoundedSnapshotTest {

  @TempDir
  Path dataDir;

  @Test
  void clientsGetABoundedSnapshotAndTicksStillSeeEveryCommitment(Vertx vertx) {
    int port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.COMMITMENT_TTL_TICKS, 1))).port();
    String longText = "write the report " + "and check every figure ".repeat(700);
    for (int i = 0; i < 150; i++) {
      String text = i + " " + longText;
      TestLedger.append(vertx, "commitment_open", "Commitment opened: " + text,
          new JsonObject().put("cid", "c" + i).put("text", text).put("source", "assistant"));
    }
    TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getLong("last_event_id") == 150);

    RawHttp.Response served = RawHttp.get(port, "/api/snapshot");
    assertTrue(served.body().length() < 64 * 1024, "the snapshot served is " + served.body().length() + " characters");
    JsonObject commitments = served.json().getJsonObject("commitments");
    assertEquals(150, commitments.getInteger("open_count"));
    JsonArray listed = commitments.getJsonArray("open");
    assertEquals(100, listed.size());
    assertEquals("c0", listed.getJsonObject(0).getString("cid"), "the oldest first: they expire first");
    for (Object o : listed) {
      String text = ((JsonObject) o).getString("text");
      assertTrue(text.length() <= 300 && text.endsWith("…"), text.length() + " characters");
    }

    JsonObject full = TestLedger.request(vertx, Addresses.SNAPSHOT_FULL, null).getJsonObject("commitments");
    assertEquals(150, full.getJsonArray("open").size(), "turns and ticks decide from every commitment");
    assertEquals(longText.length() + 4, full.getJsonArray("open").getJsonObject(149).getString("text").length(), "whole");

    for (int i = 0; i < 3; i++) {
      TestLedger.request(vertx, Addresses.TICK_NOW, null);
    }
    TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("commitments")
        .getInteger("expired_count") == 150);
    assertEquals(0, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("commitments").getInteger("open_count"),
        "even those the served snapshot did not list");
  }
}
