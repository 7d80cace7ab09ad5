package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.EventJson;
import dev.pmm.metrics.MetricsState;
import dev.pmm.projection.SelfModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.pmm.cli.Pmm.await;

/**
 * {@code pmm bench}: a real server in process on a fresh data dir per ledger size. Times are wall
 * clock on whatever machine runs it; the README says which machine its numbers came from.
 */
final class Bench {

  private static final Workload WORKLOAD = new Workload(42);

  private Bench() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    long[] sizes = Arrays.stream(args.option("events").orElse("10000,100000").split(","))
        .mapToLong(s -> Long.parseLong(s.trim())).toArray();
    JsonArray results = new JsonArray();
    for (long size : sizes) {
      out.println("== " + size + " events");
      JsonObject result = measure(size, out);
      results.add(result);
    }
    JsonObject report = new JsonObject().put("machine", machine()).put("results", results);
    args.option("out").ifPresent(file -> {
      try {
        Files.writeString(Path.of(file), report.encodePrettily());
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
      }
    });
    return Pmm.OK;
  }

  private static JsonObject measure(long size, PrintStream out) {
    Path dir;
    try {
      dir = Files.createTempDirectory("pmm-bench-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    JsonObject config = new JsonObject().put(ConfigKeys.DATA_DIR, dir.toString())
        .put(ConfigKeys.CONSISTENCY_CHECK_EVERY, 0).put(ConfigKeys.CHECKPOINT_EVERY, 1000)
        .put(ConfigKeys.LEDGER_VERIFY_ON_START, false)
        .put(ConfigKeys.TICK_INTERVAL_MS, 0).put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 0)
        .put(ConfigKeys.REFLECTION_MIN_TURNS, Integer.MAX_VALUE);
    JsonObject result = new JsonObject().put("events", size);
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, config));
      long start = System.nanoTime();
      appendConcurrently(vertx, 0, size, 16);
      double fillSeconds = (System.nanoTime() - start) / 1e9;
      JsonObject ledger = status(vertx, Addresses.LEDGER_STATUS);
      double batch = (double) ledger.getLong("appends") / ledger.getLong("batches");
      result.put("append_16_senders_events_per_s", Math.round(size / fillSeconds)).put("append_16_senders_mean_batch", batch);
      out.printf("append, 16 senders:       %,d events/s (%.1f events per transaction)%n", Math.round(size / fillSeconds), batch);

      long before64 = System.nanoTime();
      appendConcurrently(vertx, size, 20_000, 64);
      double seconds64 = (System.nanoTime() - before64) / 1e9;
      result.put("append_64_senders_events_per_s", Math.round(20_000 / seconds64));
      out.printf("append, 64 senders:       %,d events/s%n", Math.round(20_000 / seconds64));

      Samples single = new Samples();
      for (int i = 0; i < 2000; i++) {
        long t = System.nanoTime();
        await(vertx.eventBus().request(Addresses.LEDGER_APPEND, WORKLOAD.event(size + 20_000 + i)));
        single.add(System.nanoTime() - t);
      }
      result.put("append_1_sender_latency_ms", single.toJson());
      out.println("append, 1 sender latency: " + single);

      JsonObject readsBefore = status(vertx, Addresses.LEDGER_STATUS).getJsonObject("reads");
      Samples snapshot = new Samples();
      for (int i = 0; i < 1000; i++) {
        await(vertx.eventBus().request(Addresses.LEDGER_APPEND, WORKLOAD.event(size + 22_000 + i)));
        long t = System.nanoTime();
        await(vertx.eventBus().request(Addresses.SNAPSHOT_GET, null));
        snapshot.add(System.nanoTime() - t);
      }
      Samples snapshotWarm = new Samples();
      for (int i = 0; i < 10_000; i++) {
        long t = System.nanoTime();
        await(vertx.eventBus().request(Addresses.SNAPSHOT_GET, null));
        snapshotWarm.add(System.nanoTime() - t);
      }
      JsonObject readsAfter = status(vertx, Addresses.LEDGER_STATUS).getJsonObject("reads");
      result.put("snapshot_after_one_new_event_ms", snapshot.toJson());
      result.put("snapshot_unchanged_ms", snapshotWarm.toJson());
      result.put("storage_reads_during_1000_appends_and_11000_snapshots", readsAfter.getLong("calls") - readsBefore.getLong("calls"));
      out.println("snapshot after 1 new event: " + snapshot);
      out.println("snapshot, unchanged:        " + snapshotWarm);
      out.println("storage reads meanwhile:    " + (readsAfter.getLong("calls") - readsBefore.getLong("calls")));

      long verifyStart = System.nanoTime();
      JsonObject verify = await(vertx.eventBus().<JsonObject>request(Addresses.LEDGER_VERIFY, null,
          new DeliveryOptions().setSendTimeout(3_600_000)).map(m -> m.body()));
      double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
      result.put("verify_events_per_s", Math.round(verify.getLong("events") / verifySeconds)).put("verify_ok", verify.getBoolean("ok"));
      out.printf("verify:                   %,d events/s (ok=%s)%n", Math.round(verify.getLong("events") / verifySeconds), verify.getBoolean("ok"));

      await(PmmServer.deployMind(vertx, config));
      JsonObject readsBeforeTurns = status(vertx, Addresses.LEDGER_STATUS).getJsonObject("reads");
      Samples turns = new Samples();
      for (int i = 0; i < 500; i++) {
        long t = System.nanoTime();
        await(vertx.eventBus().request(Addresses.TURN_SUBMIT, new JsonObject().put("text", "Tell me about the ledger, turn " + i)));
        turns.add(System.nanoTime() - t);
      }
      JsonObject readsAfterTurns = status(vertx, Addresses.LEDGER_STATUS).getJsonObject("reads");
      Samples ticks = new Samples();
      for (int i = 0; i < 200; i++) {
        long t = System.nanoTime();
        await(vertx.eventBus().request(Addresses.TICK_NOW, null));
        ticks.add(System.nanoTime() - t);
      }
      JsonObject readsAfterTicks = status(vertx, Addresses.LEDGER_STATUS).getJsonObject("reads");
      result.put("turn_offline_no_delay_ms", turns.toJson()).put("tick_no_reflection_ms", ticks.toJson())
          .put("storage_reads_per_turn", (readsAfterTurns.getLong("calls") - readsBeforeTurns.getLong("calls")) / 500.0)
          .put("storage_reads_per_tick", (readsAfterTicks.getLong("calls") - readsAfterTurns.getLong("calls")) / 200.0);
      out.println("turn, offline model, no token delay, no memory (5+ events each): " + turns);
      out.println("tick, no reflection (2+ events each): " + ticks);
      out.printf("storage reads per turn %.2f, per tick %.2f%n", result.getDouble("storage_reads_per_turn"), result.getDouble("storage_reads_per_tick"));

      double foldNanos = foldCostPerEvent(Math.min(size, 200_000));
      result.put("fold_projection_and_metrics_us_per_event", Math.round(foldNanos) / 1000.0);
      out.printf("fold, projection+metrics: %.2f µs per event%n", foldNanos / 1000);
    } finally {
      await(vertx.close());
    }

    Vertx again = Vertx.vertx();
    try {
      long t = System.nanoTime();
      await(PmmServer.deployCore(again, config).compose(v -> again.eventBus().request(Addresses.SNAPSHOT_GET, null)));
      double coldMs = (System.nanoTime() - t) / 1e6;
      result.put("cold_start_to_snapshot_ms", Math.round(coldMs));
      out.printf("cold start to a snapshot: %.0f ms (from a checkpoint)%n", coldMs);
      JsonObject replay = await(new ReplayCheck(again, config).run());
      result.put("full_replay_events_per_s", replay.getLong("events_per_second"));
      out.printf("full replay:              %,d events/s%n", replay.getLong("events_per_second"));
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      result.put("heap_after_gc_mb", heap / (1024 * 1024));
      out.printf("heap after GC:            %d MB%n", heap / (1024 * 1024));
    } finally {
      await(again.close());
    }
    return result;
  }

  /** Keeps {@code senders} appends in flight until {@code count} are committed. */
  private static void appendConcurrently(Vertx vertx, long from, long count, int senders) {
    AtomicLong next = new AtomicLong(from);
    List<Future<Void>> done = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      vertx.runOnContext(v -> sendNext(vertx, next, from + count, finished));
    }
    await(Future.all(done));
  }

  private static void sendNext(Vertx vertx, AtomicLong next, long end, Promise<Void> finished) {
    long position = next.getAndIncrement();
    if (position >= end) {
      finished.tryComplete();
      return;
    }
    vertx.eventBus().request(Addresses.LEDGER_APPEND, WORKLOAD.event(position))
        .onSuccess(r -> sendNext(vertx, next, end, finished))
        .onFailure(finished::tryFail);
  }

  /** Nanoseconds per event to fold the workload into both caches, best of three runs. */
  private static double foldCostPerEvent(long count) {
    List<Event> events = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      JsonObject request = WORKLOAD.event(i);
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) EventJson.plain(request.getJsonObject("meta"));
      events.add(Event.of(i + 1, request.getString("kind"), request.getString("content"), meta));
    }
    double best = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      SelfModel projection = new SelfModel(100);
      MetricsState metrics = new MetricsState();
      long t = System.nanoTime();
      for (Event e : events) {
        projection.apply(e);
        metrics.apply(e);
      }
      best = Math.min(best, (double) (System.nanoTime() - t) / count);
    }
    return best;
  }

  private static JsonObject status(Vertx vertx, String address) {
    return await(vertx.eventBus().<JsonObject>request(address, null).map(m -> m.body()));
  }

  private static JsonObject machine() {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .put("java", System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /** Latency samples in nanoseconds, reported in milliseconds. */
  private static final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    private double ms(double quantile) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[(int) Math.min(size - 1, Math.floor(quantile * size))] / 1e6;
    }

    JsonObject toJson() {
      return new JsonObject().put("min", ms(0)).put("p50", ms(0.5)).put("p99", ms(0.99)).put("max", ms(1.0));
    }

    @Override
    public String toString() {
      return String.format("min %.3f  p50 %.3f  p99 %.3f  max %.3f ms", ms(0), ms(0.5), ms(0.99), ms(1.0));
    }
  }
}
