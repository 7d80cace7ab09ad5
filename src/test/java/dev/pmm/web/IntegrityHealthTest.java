package dev.pmm.web;

import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain is verified in the background after start-up; a break shows in /health. */
class IntegrityHealthTest {

  @TempDir
  Path dataDir;

  @Test
  void aBrokenChainTurnsHealthDegradedWithTheFirstBadEvent() {
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.LEDGER_VERIFY_ON_START, true);
    JsonObject intact = health(config, vertx -> {
      for (int i = 0; i < 30; i++) {
        TestLedger.append(vertx, "user_message", "m" + i, new JsonObject());
      }
    });
    assertEquals("UP", intact.getString("status"), intact.encode());

    TestLedger.sql(dataDir, "UPDATE events SET content = 'forged' WHERE id = 17");
    JsonObject broken = health(config, vertx -> { });
    assertEquals("DEGRADED", broken.getString("status"), broken.encode());
    JsonObject ledger = broken.getJsonObject("components").getJsonObject("ledger");
    assertTrue(ledger.getJsonArray("reasons").encode().contains("event 17 (hash_mismatch)"), ledger.encode());
  }

  private static JsonObject health(JsonObject config, java.util.function.Consumer<Vertx> before) {
    Vertx vertx = Vertx.vertx();
    try {
      WebVerticle web = await(PmmServer.deploy(vertx, config));
      before.accept(vertx);
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      TestLedger.eventually(() -> get(client, web.port()).getJsonObject("components").getJsonObject("ledger").getValue("integrity") != null);
      return get(client, web.port());
    } finally {
      await(vertx.close());
    }
  }

  private static JsonObject get(HttpClient client, int port) {
    return await(client.request(HttpMethod.GET, port, "127.0.0.1", "/health").compose(req -> req.send())
        .compose(res -> res.body())).toJsonObject();
  }
}
