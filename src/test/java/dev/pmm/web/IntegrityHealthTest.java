package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.OnContext;
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
    String[] refusal = new String[1];
    JsonObject broken = health(config, vertx -> { });
    assertEquals("DEGRADED", broken.getString("status"), broken.encode());
    JsonObject ledger = broken.getJsonObject("components").getJsonObject("ledger");
    assertTrue(ledger.getJsonArray("reasons").encode().contains("event 17 (hash_mismatch); appends are stopped"), ledger.encode());
    health(config, vertx -> {
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.LEDGER_STATUS, null).getValue("integrity") != null);
      try {
        await(vertx.eventBus().request(Addresses.LEDGER_APPEND, new JsonObject().put("kind", "note").put("content", "x")));
      } catch (AssertionError e) {
        refusal[0] = e.getMessage();
      }
    });
    assertTrue(refusal[0] != null && refusal[0].contains(ConfigKeys.LEDGER_CHAIN_BREAK_ACKNOWLEDGED), "appends refused: " + refusal[0]);

    // The operator's path: restart acknowledging the break; it is recorded once, and appends go on.
    JsonObject acknowledged = config.copy().put(ConfigKeys.LEDGER_CHAIN_BREAK_ACKNOWLEDGED, true);
    for (int restart = 0; restart < 2; restart++) {
      JsonObject after = health(acknowledged, vertx -> { });
      assertTrue(after.getJsonObject("components").getJsonObject("ledger").getJsonArray("reasons").encode()
          .contains("acknowledged by an operator"), after.encode());
    }
    health(acknowledged, vertx -> {
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0)
          .put("kind", "chain_break_acknowledged")).getJsonArray("events").size() == 1);
      TestLedger.append(vertx, "note", "the ledger goes on", new JsonObject());
      JsonObject record = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0)
          .put("kind", "chain_break_acknowledged")).getJsonArray("events").getJsonObject(0);
      assertEquals(17L, record.getJsonObject("meta").getJsonObject("first_break").getLong("id"));
    });
  }

  private static JsonObject health(JsonObject config, java.util.function.Consumer<Vertx> before) {
    Vertx vertx = Vertx.vertx();
    try {
      WebVerticle web = await(PmmServer.deploy(vertx, config));
      before.accept(vertx);
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      TestLedger.eventually(() -> get(vertx, client, web.port()).getJsonObject("components").getJsonObject("ledger").getValue("integrity") != null);
      return get(vertx, client, web.port());
    } finally {
      await(vertx.close());
    }
  }

  private static JsonObject get(Vertx vertx, HttpClient client, int port) {
    return OnContext.await(vertx, () -> client.request(HttpMethod.GET, port, "127.0.0.1", "/health").compose(req -> req.send())
        .compose(res -> res.body())).toJsonObject();
  }
}
