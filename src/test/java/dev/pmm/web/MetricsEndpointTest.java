package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.Telemetry;
import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics as `pmm serve` runs it: Vert.x's Micrometer metrics and the turn and tick histograms. */
class MetricsEndpointTest {

  @TempDir
  Path dataDir;
  private final Vertx vertx = Telemetry.vertxWithMetrics();
  private HttpClient client;

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void prometheusTextHasVertxMetricsReadCountersAndLatencyHistograms() {
    WebVerticle web = await(PmmServer.deploy(vertx, TestLedger.config(dataDir)));
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", "hello"));
    TestLedger.request(vertx, Addresses.TICK_NOW, null);

    String text = OnContext.await(vertx, () -> client.request(HttpMethod.GET, web.port(), "127.0.0.1", "/metrics")
        .compose(req -> req.send()).compose(res -> res.body())).toString();

    for (String expected : new String[] {"pmm_ledger_read_calls_total", "pmm_memory_cache_hits_total",
        "pmm_turn_duration_seconds_bucket", "pmm_turn_duration_seconds_count 1\n", "pmm_tick_duration_seconds_count 1\n",
        "vertx_eventbus_", "vertx_http_server_"}) {
      assertTrue(text.contains(expected), expected + " in\n" + text);
    }
  }
}
