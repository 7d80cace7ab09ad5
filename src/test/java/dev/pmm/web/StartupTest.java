package dev.pmm.web;

import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server listens before its caches have caught up: /health says STARTING, then UP, and never DOWN on the way. */
class StartupTest {

  @TempDir
  Path dataDir;

  @Test
  void healthAnswersStartingWhileTheCachesCatchUp() throws Exception {
    // No checkpoints: the caches replay all 30,000 events at start, which takes a while.
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.CHECKPOINT_EVERY, 0);
    Vertx first = Vertx.vertx();
    try {
      await(PmmServer.deployCore(first, config));
      await(TestLedger.appendMany(first, 30_000, i -> new JsonObject().put("kind", "user_message").put("content", "m" + i)));
    } finally {
      await(first.close());
    }

    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build();
    Vertx vertx = Vertx.vertx();
    try {
      Future<WebVerticle> deployed = PmmServer.deploy(vertx, config.copy().put(ConfigKeys.HTTP_PORT, port));
      List<String> seen = new ArrayList<>();
      boolean startingBeforeDeployed = false;
      while (!deployed.isComplete() || seen.isEmpty() || !seen.get(seen.size() - 1).startsWith("200 UP")) {
        try {
          HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
          String status = response.statusCode() + " " + new JsonObject(response.body()).getString("status");
          seen.add(status);
          startingBeforeDeployed |= status.equals("503 STARTING") && !deployed.isComplete();
        } catch (java.net.ConnectException notYetListening) {
          // the JVM and Vert.x are still coming up
        }
        Thread.sleep(20);
      }
      assertTrue(deployed.succeeded());
      assertTrue(startingBeforeDeployed, "/health answered STARTING while the caches replayed: " + seen);
      assertFalse(seen.stream().anyMatch(s -> s.contains("DOWN")), "never DOWN while starting: " + seen);
      assertEquals("200 UP", seen.get(seen.size() - 1));
    } finally {
      await(vertx.close());
    }
  }
}
