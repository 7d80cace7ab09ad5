package dev.pmm.hostile;

import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.HealthProbe;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that never read what they are sent. Each may make the server hold a bounded backlog,
 * then it is let go; the heap stays bounded and /health keeps answering within a second.
 */
@ExtendWith(VertxExtension.class)
class SlowClientTest {

  private static final long HEAP_GROWTH_MAX = 64L * 1024 * 1024;

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = await(PmmServer.deploy(vertx, TestLedger.config(dataDir).put(ConfigKeys.WEB_TURNS_PER_MINUTE, 0))).port();
  }

  @Test
  void socketsThatNeverReadAreLetGoAndTheHeapStaysBounded() throws Exception {
    long before = usedHeapAfterGc();
    List<RawWebSocket> idle = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      idle.add(new RawWebSocket(port, 4096));
    }
    HealthProbe probe = new HealthProbe(port);
    // Each event reaches every open page as a message frame: 12 MB for each socket, more than its TCP buffers hold.
    String big = "x".repeat(200_000);
    for (int i = 0; i < 60; i++) {
      TestLedger.append(vertx, "user_message", i + big, new JsonObject());
    }
    probe.assertAnsweredWithinASecond();
    long grown = usedHeapAfterGc() - before;
    assertTrue(grown < HEAP_GROWTH_MAX, "the heap grew by " + grown / (1024 * 1024) + " MB for 10 clients that read nothing");
    for (RawWebSocket socket : idle) {
      RawWebSocket.Frame close = socket.awaitCloseFrame();
      // The close frame waits behind what the client never read, so it may be gone with the connection.
      if (close != null) {
        assertEquals(1008, close.closeCode(), close.closeReason());
        assertTrue(close.closeReason().startsWith("too slow"), close.closeReason());
      }
      socket.close();
    }
  }

  @Test
  void historyIsAnsweredOneRequestAtATime() throws Exception {
    String text = "y".repeat(10_000);
    for (int i = 0; i < 300; i++) {
      TestLedger.append(vertx, "user_message", i + text, new JsonObject());
    }
    long before = usedHeapAfterGc();
    HealthProbe probe = new HealthProbe(port);
    int histories = 0;
    int busy = 0;
    try (RawWebSocket socket = new RawWebSocket(port, 4096)) {
      for (int i = 0; i < 3000; i++) {
        socket.sendText(new JsonObject().put("type", "history").put("id", i).put("before", 301).put("limit", 200).encode());
      }
      // Time for the server to answer what it will before the heap is looked at.
      Thread.sleep(2_000);
      probe.assertAnsweredWithinASecond();
      long grown = usedHeapAfterGc() - before;
      assertTrue(grown < HEAP_GROWTH_MAX, "the heap grew by " + grown / (1024 * 1024) + " MB for 3,000 unread history requests");
      for (RawWebSocket.Frame f = socket.read(); f != null && f.opcode() != RawWebSocket.CLOSE; f = socket.read()) {
        if (f.opcode() == RawWebSocket.TEXT) {
          JsonObject frame = new JsonObject(f.text());
          histories += "history".equals(frame.getString("type")) ? 1 : 0;
          busy += "busy".equals(frame.getString("code")) ? 1 : 0;
        }
      }
    } catch (java.io.IOException e) {
      // The server let the connection go.
    }
    assertTrue(histories < 100, histories + " history answers of 200 events were made for a client that read none");
    assertTrue(busy > 0 || histories < 3000, "the rest were refused as busy: " + busy);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
