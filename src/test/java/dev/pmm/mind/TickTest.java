package dev.pmm.mind;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Autonomy ticks against a real ledger, driven by pmm.tick.now or a short timer. */
@ExtendWith(VertxExtension.class)
class TickTest {

  @TempDir
  Path dataDir;

  private JsonObject start(Vertx vertx, JsonObject overrides) {
    JsonObject config = TestLedger.config(dataDir).mergeIn(overrides);
    await(PmmServer.deployCore(vertx, config).compose(v -> PmmServer.deployMind(vertx, config)));
    return config;
  }

  private static JsonObject tick(Vertx vertx) {
    return TestLedger.request(vertx, Addresses.TICK_NOW, null);
  }

  private static List<JsonObject> kind(Vertx vertx, String kind) {
    List<JsonObject> out = new ArrayList<>();
    TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", 0).put("kind", kind).put("limit", 1000))
        .getJsonArray("events").forEach(e -> out.add((JsonObject) e));
    return out;
  }

  private static void turn(Vertx vertx, String text) {
    TestLedger.request(vertx, Addresses.TURN_SUBMIT, new JsonObject().put("text", text));
  }

  @Test
  void reflectionCadenceAndSkipReasons(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.REFLECTION_MIN_TURNS, 2).put(ConfigKeys.REFLECTION_MIN_SECONDS, 3600));

    assertEquals(false, tick(vertx).getBoolean("reflected"));
    turn(vertx, "Tell me about the sea");
    turn(vertx, "Tell me about mountains");
    JsonObject second = tick(vertx);
    assertEquals(true, second.getBoolean("reflected"), second.encode());
    turn(vertx, "Tell me about rivers");
    turn(vertx, "Tell me about lakes");
    assertEquals(false, tick(vertx).getBoolean("reflected"), "an hour has not passed");

    List<String> skips = kind(vertx, "reflection_skipped").stream().map(e -> e.getJsonObject("meta").getString("reason")).toList();
    assertEquals(List.of("min_turns", "min_time"), skips);
    List<JsonObject> reflections = kind(vertx, "reflection");
    assertEquals(1, reflections.size());
    assertTrue(reflections.get(0).getJsonObject("meta").getJsonObject("telemetry").containsKey("IAS"));
    List<JsonObject> ticks = kind(vertx, "autonomy_tick");
    assertEquals(List.of(1L, 2L, 3L), ticks.stream().map(e -> e.getJsonObject("meta").getLong("tick")).toList());
    assertEquals(true, ticks.get(1).getJsonObject("meta").getJsonObject("reflect").getBoolean("did"));
    assertEquals("min_time", ticks.get(2).getJsonObject("meta").getJsonObject("reflect").getString("reason"));
  }

  @Test
  void commitmentsExpireAfterTheirTtlInTicks(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.COMMITMENT_TTL_TICKS, 2).put(ConfigKeys.REFLECTION_MIN_TURNS, 1000));
    turn(vertx, "Please write a poem about the ledger");
    assertEquals(1, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("commitments").getJsonArray("open").size());
    tick(vertx);
    tick(vertx);
    assertEquals(0, kind(vertx, "commitment_expire").size(), "two ticks old: still open");
    assertEquals(1, tick(vertx).getInteger("expired"));
    JsonObject commitments = TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getJsonObject("commitments");
    assertTrue(commitments.getJsonArray("open").isEmpty());
    assertEquals(1L, commitments.getLong("expired_count"));
    assertEquals("timeout", kind(vertx, "commitment_expire").get(0).getJsonObject("meta").getString("reason"));
    assertTrue(kind(vertx, "trait_update").stream().anyMatch(e -> e.getJsonObject("meta").getString("reason").equals("commitments_expired")));
  }

  @Test
  void aStageTransitionIsRecordedOnce(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.REFLECTION_MIN_TURNS, 1000));
    // Ten ticks of telemetry in the S2 band, as an earlier life of the mind would have left them.
    for (int i = 0; i < 10; i++) {
      TestLedger.append(vertx, "autonomy_tick", "autonomy heartbeat", new JsonObject()
          .put("telemetry", new JsonObject().put("IAS", 0.60).put("GAS", 0.45)));
    }
    JsonObject first = tick(vertx);
    assertEquals("S2", first.getString("stage"));
    List<JsonObject> updates = kind(vertx, "stage_update");
    assertEquals(1, updates.size());
    assertEquals("S2", updates.get(0).getJsonObject("meta").getString("to"));
    tick(vertx);
    assertEquals(1, kind(vertx, "stage_update").size(), "no second record while the stage holds");
  }

  @Test
  void ticksReadNoStorage(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.REFLECTION_MIN_TURNS, 0).put(ConfigKeys.REFLECTION_MIN_SECONDS, 0));
    turn(vertx, "Please remember to water the plants");
    JsonObject before = TestLedger.reads(vertx);
    for (int i = 0; i < 10; i++) {
      tick(vertx);
    }
    assertEquals(before, TestLedger.reads(vertx), "10 ticks, 0 storage reads");
    assertEquals(10, kind(vertx, "reflection").size());
  }

  @Test
  void aSlowModelNeverMakesTicksOverlapAndTimesOut(Vertx vertx) {
    start(vertx, new JsonObject().put(ConfigKeys.TICK_INTERVAL_MS, 40).put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 30)
        .put(ConfigKeys.REFLECTION_MIN_TURNS, 0).put(ConfigKeys.REFLECTION_MIN_SECONDS, 0)
        .put(ConfigKeys.TICK_MODEL_TIMEOUT_MS, 200));
    List<JsonObject> done = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.TICK_DONE, m -> done.add(m.body()));
    TestLedger.eventually(() -> done.size() >= 4);
    JsonObject status = TestLedger.request(vertx, Addresses.TICK_STATUS, null);
    assertTrue(status.getLong("skipped_overlaps") > 0, status.encode());
    List<Long> numbers = kind(vertx, "autonomy_tick").stream().map(e -> e.getJsonObject("meta").getLong("tick")).toList();
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(i + 1L, numbers.get(i), "tick numbers " + numbers);
    }
    assertTrue(kind(vertx, "reflection_skipped").stream()
        .allMatch(e -> e.getJsonObject("meta").getString("reason").equals("model_failed")), "the model call timed out");
  }
}
