package dev.pmm.faults;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.Pmm;
import dev.pmm.support.Mounts;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real full disk (a size-limited tmpfs) under a server running as its own JVM: appends are
 * refused with a clear error while the rest keeps serving, and after SIGKILL and a restart with
 * space the ledger holds exactly what the server had acknowledged, with an intact chain.
 */
class FullDiskTest {

  private static final long MB = 1024 * 1024;

  @TempDir
  Path tmp;

  @Test
  void aFullDiskRefusesAppendsClearlyAndLosesNothingAcknowledged() throws Exception {
    Mounts.assumeAvailable();
    Path disk = tmp.resolve("disk");
    Mounts.tmpfs(disk, "48m");
    try {
      Path data = disk.resolve("data");
      Path filler = disk.resolve("filler");
      Map<String, JsonArray> acknowledged = new LinkedHashMap<>();

      // 1. With a reserve: refused before the disk is full, resumed by itself once space is back.
      try (ChildServer server = ChildServer.start(data, tmp.resolve("server-1.log"),
          Map.of("PMM_LEDGER_DISK_RESERVE_MB", "16", "PMM_CHECKPOINT_EVERY", "20"))) {
        server.awaitServing();
        for (int i = 0; i < 3; i++) {
          chatOk(server, "before the disk fills, turn " + i, acknowledged);
        }
        Mounts.fill(filler, Mounts.usable(disk) - 8 * MB);
        TestLedger.eventually(() -> server.ledgerHealth().getString("status").equals("DEGRADED"));
        JsonObject health = server.ledgerHealth();
        assertTrue(health.getJsonArray("reasons").encode().contains("is full") , health.encode());

        ChildServer.Reply refused = server.chat("refused by the reserve");
        assertEquals(507, refused.status(), refused.body().encode());
        assertEquals("storage_full", refused.body().getString("error"));
        String message = refused.body().getString("message");
        assertTrue(message.contains("the disk holding the data dir \"data\" is full") && message.contains("ledger.disk.reserve.mb"), message);
        JsonObject overSocket = server.wsChat("w1", "refused over the socket");
        assertEquals("error", overSocket.getString("type"), overSocket.encode());
        assertEquals("storage_full", overSocket.getString("code"), overSocket.encode());
        assertTrue(overSocket.getString("message").contains("is full"), overSocket.encode());
        assertEquals(200, server.get("/api/snapshot").status(), "the server still answers");

        Files.delete(filler);
        TestLedger.eventually(() -> server.ledgerHealth().getString("status").equals("UP"));
        chatOk(server, "after space came back", acknowledged);
      }

      // 2. No reserve: HSQLDB meets the full disk itself.
      List<String> refusedTexts = new ArrayList<>();
      JsonArray shown;
      try (ChildServer server = ChildServer.start(data, tmp.resolve("server-2.log"),
          Map.of("PMM_LEDGER_DISK_RESERVE_MB", "0", "PMM_CHECKPOINT_EVERY", "20"))) {
        server.awaitServing();
        chatOk(server, "restarted without a reserve", acknowledged);
        Mounts.fill(filler, Mounts.usable(disk) - 256 * 1024);
        ChildServer.Reply failed = null;
        for (int i = 0; i < 5000 && failed == null; i++) {
          String text = "filling the disk, turn " + i + " " + "x".repeat(200);
          ChildServer.Reply reply = server.chat(text);
          if (reply.status() == 200) {
            acknowledged.put(text, reply.body().getJsonArray("event_ids"));
          } else {
            failed = reply;
            if (reply.body().getString("message", "").startsWith("the turn could not start")) {
              refusedTexts.add(text);
            }
          }
        }
        assertTrue(failed != null, "the disk never filled");
        assertEquals(507, failed.status(), failed.body().encode());
        assertEquals("storage_full", failed.body().getString("error"));
        assertTrue(failed.body().getString("message").contains("the disk is full"), failed.body().encode());
        JsonObject health = server.ledgerHealth();
        assertEquals("DEGRADED", health.getString("status"), health.encode());
        assertTrue(health.getJsonArray("reasons").encode().contains("the disk is full"), health.encode());
        assertEquals(200, server.get("/api/snapshot").status(), "the server still answers");
        ChildServer.Reply again = server.chat("refused again");
        assertEquals(507, again.status(), again.body().encode());
        assertTrue(again.body().getString("message").startsWith("the turn could not start"), again.body().encode());
        refusedTexts.add("refused again");
        shown = allEvents(server);
      }

      // 3. A full disk at start: a clear error, nothing opened.
      Mounts.fill(disk.resolve("filler-2"), Long.MAX_VALUE);
      Vertx vertx = Vertx.vertx();
      try {
        Throwable failure = await(PmmServer.deployCore(vertx, TestLedger.config(data))
            .transform(ar -> Future.succeededFuture(ar.cause())));
        // At start the operator reads this, with the whole path.
        assertTrue(failure != null && failure.getMessage().contains("the disk holding the data dir " + data + " is full"),
            String.valueOf(failure));
      } finally {
        await(vertx.close());
      }

      // 4. Space back: exactly what the server had shown, every acknowledged turn, an intact chain.
      Files.delete(filler);
      Files.delete(disk.resolve("filler-2"));
      vertx = Vertx.vertx();
      try {
        await(PmmServer.deployCore(vertx, TestLedger.config(data)));
        JsonObject report = TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null);
        assertEquals(true, report.getBoolean("ok"), report.encode());
        JsonArray stored = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0).put("limit", 5000))
            .getJsonArray("events");
        List<String> before = idsAndHashes(shown);
        List<String> after = idsAndHashes(stored);
        assertEquals(before.size(), after.size(), "events shown before the kill, stored after: last shown "
            + before.get(before.size() - 1) + ", last stored " + after.get(after.size() - 1));
        assertEquals(before, after, "the ledger after the restart is what the server showed");
        Map<Long, String> contents = new LinkedHashMap<>();
        stored.forEach(e -> contents.put(((JsonObject) e).getLong("id"), ((JsonObject) e).getString("content")));
        acknowledged.forEach((text, ids) -> {
          assertEquals(text, contents.get(ids.getLong(0)), "acknowledged turn kept: " + text);
          ids.forEach(id -> assertTrue(contents.containsKey(((Number) id).longValue()), "event " + id + " of " + text));
        });
        for (String text : refusedTexts) {
          assertFalse(contents.containsValue(text), "a turn refused before it started left nothing: " + text);
        }
      } finally {
        await(vertx.close());
      }
    } finally {
      Mounts.unmount(disk);
    }
  }

  @Test
  void anImportThatDoesNotFitSaysTheDiskIsFullAndLeavesTheDataDirAsItWas() throws Exception {
    Mounts.assumeAvailable();
    // 20,000 events of 500 characters: about 13 MB as JSON, more as HSQLDB files.
    Path source = tmp.resolve("big.json");
    try (var out = Files.newBufferedWriter(source)) {
      out.write("[");
      for (int i = 1; i <= 20_000; i++) {
        out.write((i > 1 ? ",\n" : "\n") + new JsonObject().put("id", i).put("ts", "2025-09-01T00:00:00+00:00")
            .put("kind", "user_message").put("content", "event " + i + " " + "y".repeat(500)).put("meta", "{}")
            .putNull("prev_hash").putNull("hash").encode());
      }
      out.write("\n]\n");
    }
    Path disk = tmp.resolve("disk");
    Mounts.tmpfs(disk, "6m");
    try {
      Path data = disk.resolve("data");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = new Pmm(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
          .run(new String[] {"import", source.toString(), "--data", data.toString()});
      String said = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, exit, said);
      assertTrue(said.contains("pmm import: writing the ledger failed: the disk is full")
          && said.contains("the data dir was left as it was"), said);
      try (var left = Files.list(disk)) {
        assertEquals(List.of(), left.toList(), "no data dir and no temporary ledger left behind");
      }
    } finally {
      Mounts.unmount(disk);
    }
  }

  private static void chatOk(ChildServer server, String text, Map<String, JsonArray> acknowledged) {
    ChildServer.Reply reply = server.chat(text);
    assertEquals(200, reply.status(), reply.body().encode());
    acknowledged.put(text, reply.body().getJsonArray("event_ids"));
  }

  private static JsonArray allEvents(ChildServer server) {
    JsonArray all = new JsonArray();
    long after = 0;
    while (true) {
      ChildServer.Reply page = server.get("/api/events?limit=1000&after=" + after);
      assertEquals(200, page.status(), page.body().encode());
      JsonArray events = page.body().getJsonArray("events");
      if (events.isEmpty()) {
        return all;
      }
      events.forEach(all::add);
      after = events.getJsonObject(events.size() - 1).getLong("id");
    }
  }

  private static List<String> idsAndHashes(JsonArray events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(((JsonObject) e).getLong("id") + ":" + ((JsonObject) e).getString("hash")));
    return out;
  }
}
