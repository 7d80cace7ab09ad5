package dev.pmm.mind;

import dev.pmm.Addresses;
import dev.pmm.config.Setting;
import dev.pmm.ledger.EventJson;
import dev.pmm.metrics.StageReading;
import dev.pmm.metrics.StageTracker;
import dev.pmm.model.ChatCall;
import dev.pmm.model.ChatModel;
import dev.pmm.model.ChatModels;
import dev.pmm.model.ChatRequest;
import dev.pmm.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The autonomy tick on a Vert.x timer: reflect when the cadence allows, expire commitments past
 * their TTL, record a stage change, drift traits, then record the tick. It works from the cached
 * snapshot and metrics only: a tick reads no storage. Ticks never overlap.
 */
public class AutonomyVerticle extends VerticleBase {

  private ChatModel model;
  private ConversationRing ring;
  private TickRules.Cadence cadence;
  private long ttlTicks;
  private long modelTimeoutMs;
  private long timerId = -1;
  private boolean ticking;
  private long skippedOverlaps;
  private long ticksDone;

  // What the tick needs to remember between ticks; a restart starts the cooldown afresh.
  private int turnsSinceReflection;
  private Long lastReflectionAtMs;
  private Double gasAtLastTick;
  private Long closedAtLastTick;

  @Override
  public Future<?> start() {
    JsonObject config = config();
    model = ChatModels.create(vertx, config, System.getenv());
    ring = new ConversationRing(Setting.TURN_CONTEXT_RECENT.intIn(config));
    cadence = new TickRules.Cadence(Setting.REFLECTION_MIN_TURNS.intIn(config),
        Setting.REFLECTION_MIN_SECONDS.longIn(config), Setting.REFLECTION_GAS_JUMP.doubleIn(config));
    ttlTicks = Setting.COMMITMENT_TTL_TICKS.longIn(config);
    modelTimeoutMs = Setting.TICK_MODEL_TIMEOUT_MS.longIn(config);
    long interval = Setting.TICK_INTERVAL_MS.longIn(config);
    vertx.eventBus().<JsonObject>consumer(Addresses.LEDGER_APPENDED, msg -> {
      dev.pmm.ledger.Event event = EventJson.fromJson(msg.body());
      ring.add(event);
      if (event.kind().equals("assistant_message") || event.kind().equals("response")) {
        turnsSinceReflection++;
      }
    });
    vertx.eventBus().consumer(Addresses.TICK_NOW, msg -> tick().onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(500, ar.cause().getMessage());
      }
    }));
    vertx.eventBus().consumer(Addresses.TICK_STATUS, msg -> msg.reply(new JsonObject().put("status", "UP")
        .put("ticks_done", ticksDone).put("skipped_overlaps", skippedOverlaps).put("ticking", ticking)));
    if (interval > 0) {
      timerId = vertx.setPeriodic(interval, id -> tick());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }

  /** One tick; a tick asked for while one runs is skipped (and counted), never run alongside. */
  Future<JsonObject> tick() {
    if (ticking) {
      skippedOverlaps++;
      return Future.failedFuture("a tick is already running");
    }
    ticking = true;
    long started = System.nanoTime();
    return Future.all(vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT_FULL, null),
            vertx.eventBus().<JsonObject>request(Addresses.METRICS_GET, null))
        .compose(all -> runTick(all.<Message<JsonObject>>resultAt(0).body(), all.<Message<JsonObject>>resultAt(1).body()))
        .onComplete(ar -> {
          ticking = false;
          Telemetry.record("pmm.tick.duration", "An autonomy tick, reflection included", System.nanoTime() - started);
        });
  }

  private Future<JsonObject> runTick(JsonObject snapshot, JsonObject metrics) {
    long tick = snapshot.getLong("ticks") + 1;
    String stage = metrics.getString("stage");
    double ias = metrics.getDouble("ias");
    double gas = metrics.getDouble("gas");
    long closed = snapshot.getJsonObject("commitments").getLong("closed");
    Long secondsSince = lastReflectionAtMs == null ? null : (System.currentTimeMillis() - lastReflectionAtMs) / 1000;
    TickRules.ReflectDecision decision = TickRules.shouldReflect(cadence, turnsSinceReflection, secondsSince, gas, gasAtLastTick);
    MindContext context = Contexts.of(snapshot, ring.recent(), null, null);
    JsonObject telemetry = new JsonObject().put("IAS", ias).put("GAS", gas);
    List<JsonObject> events = new ArrayList<>();

    Future<Reflection> reflection = decision.reflect()
        ? reflect(context).map(text -> new Reflection(text, null)).otherwise(e -> new Reflection(null, e.getMessage()))
        : Future.succeededFuture(new Reflection(null, null));
    return reflection.compose(outcome -> {
      boolean reflected = outcome.text() != null;
      String reason = decision.reason();
      if (reflected) {
        events.add(Appends.event("reflection", outcome.text(), new JsonObject().put("source", "autonomy").put("telemetry", telemetry)
            .put("tick", tick).put("stage", stage)));
        for (String commitment : CommitmentParser.commitments(outcome.text())) {
          events.add(Appends.event("commitment_open", "Commitment opened: " + commitment, new JsonObject()
              .put("cid", Cids.of(commitment)).put("text", commitment).put("source", "reflection").put("tick", tick)));
        }
      } else {
        reason = outcome.failure() == null ? reason : "model_failed";
        events.add(Appends.event("reflection_skipped", "", new JsonObject().put("reason", reason).put("tick", tick)
            .put("detail", outcome.failure())));
      }
      List<MindContext.Commitment> expired = TickRules.expired(context.openCommitments(), tick, ttlTicks);
      for (MindContext.Commitment c : expired) {
        events.add(Appends.event("commitment_expire", "Commitment expired: " + c.text(), new JsonObject()
            .put("cid", c.cid()).put("reason", "timeout").put("tick", tick)));
      }
      JsonObject window = metrics.getJsonObject("stage_window");
      StageReading reading = new StageReading(stage, window.getDouble("ias_mean"), window.getDouble("gas_mean"), window.getInteger("count"));
      String recorded = metrics.getString("recorded_stage");
      if (StageTracker.withHysteresis(recorded, stage, reading)) {
        events.add(Appends.event("stage_update", "emergence stage transition", new JsonObject().put("from", recorded).put("to", stage)
            .put("snapshot", window).put("reason", "threshold_cross_with_hysteresis").put("tick", tick)));
      }
      long closedSince = closedAtLastTick == null ? 0 : closed - closedAtLastTick;
      for (TickRules.TraitNudge nudge : TickRules.drift(stage, closedSince, expired.size(), reflected)) {
        events.add(Appends.event("trait_update", "", new JsonObject().put("trait", nudge.trait()).put("delta", nudge.delta())
            .put("reason", nudge.reason()).put("tick", tick)));
      }
      events.add(Appends.event("autonomy_tick", "autonomy heartbeat", new JsonObject().put("telemetry", telemetry)
          .put("reflect", new JsonObject().put("did", reflected).put("reason", reason)).put("tick", tick)
          .put("source", "AutonomyVerticle")));
      String finalReason = reason;
      return Appends.inOrder(vertx.eventBus(), events).map(ids -> {
        if (reflected) {
          turnsSinceReflection = 0;
          lastReflectionAtMs = System.currentTimeMillis();
        }
        gasAtLastTick = gas;
        closedAtLastTick = closed;
        ticksDone++;
        JsonObject done = new JsonObject().put("tick", tick).put("ias", ias).put("gas", gas).put("stage", stage)
            .put("reflected", reflected).put("reason", finalReason).put("expired", expired.size());
        vertx.eventBus().publish(Addresses.TICK_DONE, done);
        return done;
      });
    });
  }

  /** What came of a reflection: its text, or why the model gave none (both null: not attempted). */
  private record Reflection(String text, String failure) {}

  /** A reflection through the model, cancelled if it takes longer than the tick's model timeout. */
  private Future<String> reflect(MindContext context) {
    ChatCall call = model.start(new ChatRequest(ChatRequest.Purpose.REFLECTION, PromptBuilder.reflection(context), context), token -> {});
    long timer = vertx.setTimer(modelTimeoutMs, t -> call.cancel());
    return call.reply()
        .eventually(() -> {
          vertx.cancelTimer(timer);
          return Future.succeededFuture();
        })
        .compose(text -> text.isBlank() ? Future.failedFuture("the model wrote an empty reflection") : Future.succeededFuture(text.strip()));
  }

}
