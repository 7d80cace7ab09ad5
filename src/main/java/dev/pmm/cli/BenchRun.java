package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.BenchStats.Runs;
import dev.pmm.cli.BenchStats.Samples;
import dev.pmm.config.ConfigKeys;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.EventJson;
import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.metrics.MetricsState;
import dev.pmm.projection.SelfModel;
import dev.pmm.web.WebVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One ledger size: a real server in process (ledger, caches, turns, ticks and the web verticle on a
 * free port) on a fresh data dir, filled with the workload, measured, stopped, restarted for the
 * cold-start and replay measures, then deleted. Every latency is sampled after untimed warm-up
 * iterations of the same operation; every throughput is repeated.
 */
final class BenchRun {

  /** How many of each: fewer for a small ledger, so the command-line test stays quick. */
  record Plan(int runs, int appendOne, int appendMany, int warmup, int samples, int turns, int ticks,
              int coldStarts, int processStarts, int verifies, int replays, int foldEvents) {
    static Plan forSize(long events) {
      if (events < 10_000) {
        return new Plan(3, 100, 500, 10, 100, 30, 30, 2, 1, 2, 2, (int) events);
      }
      return new Plan(3, 1_000, 20_000, 100, 1_000, 300, 200, 3, 2, 3, 3, (int) Math.min(events, 200_000));
    }
  }

  /** Appends in flight while filling: large batches through the ordinary path, still in order. */
  static final int FILL_IN_FLIGHT = 256;
  private static final long TIMEOUT_MINUTES = 60;
  /** A single request that takes longer than this has hung: fail, saying which, rather than wait the hour. */
  private static final long STEP_TIMEOUT_SECONDS = 120;

  private final long events;
  private final Plan plan;
  private final PrintStream out;
  private final Workload workload = new Workload(42);
  private final AtomicLong nextPosition = new AtomicLong();
  private final JsonObject measures = new JsonObject();
  private final Path dir;
  private final JsonObject config;

  private Vertx vertx;
  private int port;
  // Held in fields: an unreferenced client can be closed by the garbage collector mid-handshake.
  // Requests go from one event loop each time: a kept-alive connection used from a new context per
  // request (a plain thread's await) stalled for seconds here.
  private HttpClient httpKept;
  private HttpClient httpFresh;
  private WebSocketClient wsClient;
  private WebSocket ws;
  private final Map<String, Promise<JsonObject>> wsPending = new ConcurrentHashMap<>();

  BenchRun(long events, PrintStream out) {
    this.events = events;
    this.plan = Plan.forSize(events);
    this.out = out;
    try {
      this.dir = Files.createTempDirectory("pmm-bench-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary data dir: " + e.getMessage(), e);
    }
    this.config = new JsonObject().put(ConfigKeys.DATA_DIR, dir.toString())
        .put(ConfigKeys.HTTP_HOST, "127.0.0.1").put(ConfigKeys.HTTP_PORT, 0)
        .put(ConfigKeys.CHECKPOINT_EVERY, 1000)
        // The background checks would run beside the measurements; verify and replay are measured on their own.
        .put(ConfigKeys.CONSISTENCY_CHECK_EVERY, 0).put(ConfigKeys.LEDGER_VERIFY_ON_START, false)
        .put(ConfigKeys.TICK_INTERVAL_MS, 0).put(ConfigKeys.MODEL_OFFLINE_TOKEN_DELAY_MS, 0)
        .put(ConfigKeys.REFLECTION_MIN_TURNS, Integer.MAX_VALUE)
        .put(ConfigKeys.WEB_TURNS_PER_MINUTE, 1_000_000);
  }

  /** The measures of this size; the data dir is deleted afterwards, whatever happened. */
  JsonObject run() {
    try {
      serving();
      restarted();
      appending();
      double most = Stream.of("heap_after_gc_mb", "heap_after_cold_start_mb", "heap_after_replay_mb")
          .mapToDouble(key -> measures.getJsonObject(key).getDouble("value")).max().orElseThrow();
      double max = Runtime.getRuntime().maxMemory() / (1024.0 * 1024);
      measures.put("heap_after_gc_most_mb", value("MB", most)).put("max_heap_mb", value("MB", max));
      print("heap after GC, the most of those", BenchStats.num(most) + " MB; the whole run fit in a heap of "
          + BenchStats.num(max) + " MB (-Xmx)");
      fold();
      return measures;
    } finally {
      deleteQuietly(dir);
    }
  }

  private void serving() {
    vertx = Vertx.vertx();
    try {
      DeploymentOptions options = new DeploymentOptions().setConfig(config);
      WebVerticle web = new WebVerticle();
      await(PmmServer.deployCore(vertx, config).compose(v -> PmmServer.deployMind(vertx, config))
          .compose(v -> vertx.deployVerticle(web, options)));
      port = web.port();
      httpKept = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
      httpFresh = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      wsClient = vertx.createWebSocketClient();

      fill();
      snapshots();
      turns();
      ticks();
      verify();
      memory("heap_after_gc_mb", "rss_mb", "serving, after the measures above");
      long measuredAt = ledgerStatus().getLong("last_id");
      measures.put("events_when_measured", measuredAt);
      print("events in the ledger now", BenchStats.num(measuredAt) + " (the fill and what the measures appended)");
    } finally {
      await(vertx.close());
    }
  }

  /** Last, so the 120,000 or so events they add do not change the size the other measures see. */
  private void appending() {
    vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, config));
      appends();
      measures.put("events_at_end", ledgerStatus().getLong("last_id"));
    } finally {
      await(vertx.close());
    }
  }

  private void fill() {
    out.printf("filling %,d workload events (%d appends in flight, through pmm.ledger.append) ...%n", events, FILL_IN_FLIGHT);
    long start = System.nanoTime();
    await(BenchAppender.append(vertx, workload, nextPosition.getAndAdd(events), events, FILL_IN_FLIGHT));
    double seconds = (System.nanoTime() - start) / 1e9;
    measures.put("fill_events_per_s", value("events/s", events / seconds));
    print("fill", BenchStats.num(events / seconds) + " events/s (" + BenchStats.num(seconds) + " s, one run)");
  }

  /** Interleaved runs (1, 16, 64 senders, then again), so a change in the host's load touches each alike. */
  private void appends() {
    Samples latency = new Samples();
    Runs one = new Runs("events/s");
    Runs sixteen = new Runs("events/s");
    Runs sixtyFour = new Runs("events/s");
    repeat(plan.warmup(), 0, i -> appendOne().mapEmpty());
    await(BenchAppender.append(vertx, workload, nextPosition.getAndAdd(plan.appendMany() / 4), plan.appendMany() / 4, 16));
    long appends16 = 0;
    long batches16 = 0;
    for (int run = 0; run < plan.runs(); run++) {
      long t = System.nanoTime();
      repeat(0, plan.appendOne(), i -> {
        long start = System.nanoTime();
        return appendOne().map(id -> {
          latency.add(System.nanoTime() - start);
          return null;
        });
      });
      one.add(plan.appendOne() / ((System.nanoTime() - t) / 1e9));
      JsonObject before = ledgerStatus();
      sixteen.add(appendRate(16));
      JsonObject after = ledgerStatus();
      appends16 += after.getLong("appends") - before.getLong("appends");
      batches16 += after.getLong("batches") - before.getLong("batches");
      sixtyFour.add(appendRate(64));
    }
    measures.put("append_1_sender_latency_ms", latency.toJson())
        .put("append_1_sender_events_per_s", one.toJson())
        .put("append_16_senders_events_per_s", sixteen.toJson())
        .put("append_16_senders_mean_batch", value("events per transaction", (double) appends16 / batches16))
        .put("append_64_senders_events_per_s", sixtyFour.toJson());
    print("append, 1 sender, latency", latency.toString());
    print("append, 1 sender", one.toString());
    print("append, 16 senders", sixteen + ", " + BenchStats.num((double) appends16 / batches16) + " events per transaction");
    print("append, 64 senders", sixtyFour.toString());
  }

  private double appendRate(int senders) {
    long t = System.nanoTime();
    await(BenchAppender.append(vertx, workload, nextPosition.getAndAdd(plan.appendMany()), plan.appendMany(), senders));
    return plan.appendMany() / ((System.nanoTime() - t) / 1e9);
  }

  /**
   * Each sample appends one event (untimed), then times the snapshot until it shows that event.
   * The append's reply comes after the event was published to the caches, so the fold is queued
   * ahead of the request; a snapshot that does not show it yet is asked again, inside the timing.
   */
  private void snapshots() {
    long readsBefore = reads();
    Samples bus = new Samples();
    Samples visible = new Samples();
    AtomicLong stale = new AtomicLong();
    repeat(plan.warmup(), plan.samples(), i -> {
      long start = System.nanoTime();
      return appendOne().compose(id -> {
        long t = System.nanoTime();
        return snapshotShowing(id, stale, this::snapshotBus).map(s -> {
          long now = System.nanoTime();
          if (i >= plan.warmup()) {
            bus.add(now - t);
            visible.add(now - start);
          }
          return null;
        });
      });
    });
    Samples unchanged = new Samples();
    repeat(plan.warmup(), plan.samples(), i -> {
      long t = System.nanoTime();
      return snapshotBus().map(s -> {
        if (i >= plan.warmup()) {
          unchanged.add(System.nanoTime() - t);
        }
        return null;
      });
    });
    Samples overHttp = new Samples();
    Samples overNewConnection = new Samples();
    repeat(plan.warmup(), plan.samples(), i -> timedSnapshotAfterAppend(i, stale, () -> snapshotHttp(httpKept), overHttp));
    repeat(plan.warmup(), plan.samples(), i -> timedSnapshotAfterAppend(i, stale, () -> snapshotHttp(httpFresh), overNewConnection));
    long snapshotReads = reads() - readsBefore;
    measures.put("snapshot_bus_after_append_ms", bus.toJson())
        .put("snapshot_bus_unchanged_ms", unchanged.toJson())
        .put("snapshot_http_after_append_ms", overHttp.toJson())
        .put("snapshot_http_new_connection_after_append_ms", overNewConnection.toJson())
        .put("append_to_snapshot_ms", visible.toJson())
        .put("snapshot_stale_retries", value("snapshots", stale.get()))
        .put("storage_reads_during_snapshots", value("reads", snapshotReads));
    print("snapshot after 1 new event, bus", bus.toString());
    print("snapshot, unchanged, bus", unchanged.toString());
    print("snapshot after 1 new event, HTTP", overHttp + " (one kept-alive connection)");
    print("  the same, a new connection each", overNewConnection.toString());
    print("append to a snapshot showing it", visible.toString());
    print("storage reads meanwhile", snapshotReads + " (" + stale.get() + " snapshots asked again)");
  }

  private Future<Void> timedSnapshotAfterAppend(int i, AtomicLong stale, Supplier<Future<JsonObject>> get, Samples into) {
    return appendOne().compose(id -> {
      long t = System.nanoTime();
      return snapshotShowing(id, stale, get).map(s -> {
        if (i >= plan.warmup()) {
          into.add(System.nanoTime() - t);
        }
        return null;
      });
    });
  }

  private Future<JsonObject> snapshotShowing(long id, AtomicLong stale, Supplier<Future<JsonObject>> get) {
    return get.get().compose(s -> {
      if (s.getLong("last_event_id") >= id) {
        return Future.succeededFuture(s);
      }
      stale.incrementAndGet();
      return snapshotShowing(id, stale, get);
    });
  }

  private Future<JsonObject> snapshotBus() {
    return vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT_GET, null).map(m -> m.body());
  }

  private Future<JsonObject> snapshotHttp(HttpClient http) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/api/snapshot").setIdleTimeout(TimeUnit.SECONDS.toMillis(30)))
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("GET /api/snapshot answered " + response.statusCode());
          }
          return response.body();
        })
        .map(body -> body.toJsonObject());
  }

  /** Server side over the event bus, then end to end over a real WebSocket, the offline model with no token delay. */
  private void turns() {
    connectWebSocket();
    JsonObject before = ledgerStatus();
    Samples bus = new Samples();
    repeat(plan.warmup() / 5, plan.turns(), i -> {
      long t = System.nanoTime();
      return vertx.eventBus().request(Addresses.TURN_SUBMIT, new JsonObject().put("text", turnText(i))).map(r -> {
        if (i >= plan.warmup() / 5) {
          bus.add(System.nanoTime() - t);
        }
        return null;
      });
    });
    Samples overWs = new Samples();
    repeat(plan.warmup() / 5, plan.turns(), i -> {
      long t = System.nanoTime();
      return wsTurn("b" + i, turnText(i)).map(done -> {
        if (i >= plan.warmup() / 5) {
          overWs.add(System.nanoTime() - t);
        }
        return null;
      });
    });
    int turns = 2 * (plan.warmup() / 5 + plan.turns());
    JsonObject after = ledgerStatus();
    double readsPerTurn = (double) (after.getJsonObject("reads").getLong("calls") - before.getJsonObject("reads").getLong("calls")) / turns;
    // A turn's time is mostly its synced commits: say how many there were.
    double commitsPerTurn = (double) (after.getLong("batches") - before.getLong("batches")) / turns;
    double eventsPerTurn = (double) (after.getLong("last_id") - before.getLong("last_id")) / turns;
    measures.put("turn_bus_ms", bus.toJson()).put("turn_ws_ms", overWs.toJson())
        .put("storage_reads_per_turn", value("reads", readsPerTurn))
        .put("turn_commits", value("transactions per turn", commitsPerTurn))
        .put("turn_events", value("events per turn", eventsPerTurn));
    print("turn, server side (event bus)", bus.toString());
    print("turn, WebSocket end to end", overWs.toString());
    print("storage reads per turn", BenchStats.num(readsPerTurn) + " (over " + turns + " turns; "
        + BenchStats.num(eventsPerTurn) + " events in " + BenchStats.num(commitsPerTurn) + " transactions per turn)");
  }

  private static String turnText(int i) {
    String[] topics = {"the ledger", "memory", "Paris", "music", "what you will do next"};
    return "Tell me about " + topics[i % topics.length] + ", please (" + i + ")";
  }

  /** Connects and waits for the hello frame: its conversation is read from storage, which must not count as a turn's reads. */
  private void connectWebSocket() {
    Promise<Void> hello = Promise.promise();
    Promise<WebSocket> connected = Promise.promise();
    // From an event loop: connected from this plain thread, the handler could be set on this thread
    // after the event loop had already delivered the hello frame.
    vertx.getOrCreateContext().runOnContext(v ->
        wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
            .map(socket -> {
              socket.textMessageHandler(text -> onFrame(new JsonObject(text), hello));
              return socket;
            })
            .onComplete(connected));
    ws = await(connected.future());
    await(hello.future().timeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  private void onFrame(JsonObject frame, Promise<Void> hello) {
    String type = frame.getString("type");
    if ("hello".equals(type)) {
      hello.tryComplete();
      return;
    }
    if ("error".equals(type)) {
      hello.tryFail("the server's first frame on /ws was an error: " + frame.encode());
    }
    Object id = frame.getValue("id");
    if (id == null || !("turn_done".equals(type) || "error".equals(type))) {
      return;
    }
    Promise<JsonObject> pending = wsPending.remove(String.valueOf(id));
    if (pending != null && "turn_done".equals(type)) {
      pending.complete(frame);
    } else if (pending != null) {
      pending.fail("the turn over /ws ended with " + frame.encode());
    }
  }

  /** Completes with the turn_done frame; frames arrive on the socket's event loop, hence the concurrent map. */
  private Future<JsonObject> wsTurn(String id, String text) {
    Promise<JsonObject> done = Promise.promise();
    wsPending.put(id, done);
    ws.writeTextMessage(new JsonObject().put("type", "chat").put("id", id).put("text", text).encode())
        .onFailure(done::tryFail);
    return done.future().timeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Each sample appends one event (untimed), then times a tick: the "tick after one new event". */
  private void ticks() {
    long readsBefore = reads();
    Samples ticks = new Samples();
    int warmup = plan.warmup() / 5;
    repeat(warmup, plan.ticks(), i -> appendOne().compose(id -> {
      long t = System.nanoTime();
      return vertx.eventBus().request(Addresses.TICK_NOW, null).map(r -> {
        if (i >= warmup) {
          ticks.add(System.nanoTime() - t);
        }
        return null;
      });
    }));
    long tickReads = reads() - readsBefore;
    double perTick = (double) tickReads / (warmup + plan.ticks());
    measures.put("tick_after_append_ms", ticks.toJson()).put("storage_reads_per_tick", value("reads", perTick));
    print("tick after 1 new event", ticks + " (no reflection)");
    print("storage reads per tick", BenchStats.num(perTick) + " (the appends between ticks read nothing either)");
  }

  private void verify() {
    Runs rate = new Runs("events/s");
    boolean ok = true;
    long verified = 0;
    for (int run = 0; run < plan.verifies(); run++) {
      long t = System.nanoTime();
      JsonObject report = await(vertx.eventBus().<JsonObject>request(Addresses.LEDGER_VERIFY, null,
          new DeliveryOptions().setSendTimeout(TimeUnit.MINUTES.toMillis(TIMEOUT_MINUTES))).map(m -> m.body()));
      verified = report.getLong("events");
      rate.add(verified / ((System.nanoTime() - t) / 1e9));
      ok &= report.getBoolean("ok");
    }
    measures.put("verify_events_per_s", rate.toJson()).put("verify_ok", ok).put("verified_events", verified);
    print("verify", rate + (ok ? ", intact" : ", BROKEN") + " (" + BenchStats.num(verified) + " events)");
  }

  /** Cold start from a checkpoint, in this JVM and as a new process; then the full replay. */
  private void restarted() {
    Runs cold = new Runs("ms");
    long rowsRead = 0;
    for (int run = 0; run < plan.coldStarts(); run++) {
      Vertx again = Vertx.vertx();
      try {
        long t = System.nanoTime();
        await(PmmServer.deployCore(again, config).compose(v -> again.eventBus().request(Addresses.SNAPSHOT_GET, null)));
        cold.add((System.nanoTime() - t) / 1e6);
        rowsRead = await(again.eventBus().<JsonObject>request(Addresses.LEDGER_STATUS, null).map(m -> m.body()))
            .getJsonObject("reads").getLong("rows");
        if (run == plan.coldStarts() - 1) {
          memory("heap_after_cold_start_mb", "rss_after_cold_start_mb", "just after a cold start (ledger and caches only)");
        }
      } finally {
        await(again.close());
      }
    }
    measures.put("cold_start_ms", cold.toJson()).put("cold_start_rows_read", value("rows", rowsRead));
    print("cold start to a snapshot (this JVM)", cold + ", " + rowsRead + " rows read");

    Runs process = new Runs("ms");
    for (int run = 0; run < plan.processStarts(); run++) {
      process.add(processColdStart());
    }
    measures.put("cold_start_process_ms", process.toJson());
    print("cold start, new JVM (pmm snapshot)", process + " to the snapshot printed");

    Runs replay = new Runs("events/s");
    boolean ok = true;
    Vertx again = Vertx.vertx();
    try {
      await(again.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(config)));
      for (int run = 0; run < plan.replays(); run++) {
        JsonObject report = await(new ReplayCheck(again, config).run());
        replay.add(report.getLong("events") / report.getDouble("replay_seconds"));
        ok &= report.getBoolean("ok");
      }
      memory("heap_after_replay_mb", "rss_after_replay_mb", "after the full replays");
    } finally {
      await(again.close());
    }
    measures.put("replay_events_per_s", replay.toJson()).put("replay_ok", ok);
    print("full replay, compared with checkpoints", replay + (ok ? ", matches" : ", DIFFERS"));
  }

  /** Milliseconds from starting {@code pmm snapshot} in a new JVM to the first byte of the snapshot it prints. */
  private double processColdStart() {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        Pmm.class.getName(), "snapshot", "--data", dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    long t = System.nanoTime();
    try {
      Process process = builder.start();
      double ms;
      try (InputStream stdout = process.getInputStream()) {
        if (stdout.read() < 0) {
          throw new IllegalStateException("pmm snapshot printed nothing");
        }
        ms = (System.nanoTime() - t) / 1e6;
        stdout.transferTo(OutputStream.nullOutputStream());
      }
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("pmm snapshot did not exit");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("pmm snapshot exited with " + process.exitValue());
      }
      return ms;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start pmm snapshot: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The same fold code the caches run, over the workload held in memory: no storage, no event bus. */
  private void fold() {
    List<Event> list = new ArrayList<>(plan.foldEvents());
    for (long i = 0; i < plan.foldEvents(); i++) {
      JsonObject request = workload.event(i);
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) EventJson.plain(request.getJsonObject("meta"));
      list.add(Event.of(i + 1, request.getString("kind"), request.getString("content"), meta));
    }
    Runs perEvent = new Runs("ms");
    for (int run = -1; run < 5; run++) {
      SelfModel projection = new SelfModel(100);
      MetricsState metrics = new MetricsState();
      long t = System.nanoTime();
      for (Event e : list) {
        projection.apply(e);
        metrics.apply(e);
      }
      if (run >= 0) {
        perEvent.add((System.nanoTime() - t) / 1e6 / list.size());
      }
    }
    measures.put("fold_ms_per_event", perEvent.toJson());
    print("fold, projection + metrics, per event", "min " + BenchStats.num(perEvent.min() * 1000) + "  median "
        + BenchStats.num(perEvent.median() * 1000) + "  max " + BenchStats.num(perEvent.max() * 1000) + " µs  (5 runs over "
        + BenchStats.num(list.size()) + " events, after 1 warm-up run)");
  }

  private void memory(String heapKey, String rssKey, String when) {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    measures.put(heapKey, value("MB", heap / (1024.0 * 1024)));
    Long rss = BenchMachine.procStatusKb("VmRSS");
    Long peak = BenchMachine.procStatusKb("VmHWM");
    measures.put(rssKey, rss == null ? null : value("MB", rss / 1024.0));
    measures.put(rssKey.replace("rss", "rss_peak"), peak == null ? null : value("MB", peak / 1024.0));
    print("heap after GC, " + when, BenchStats.num(heap / (1024.0 * 1024)) + " MB; RSS "
        + (rss == null ? "unknown" : BenchStats.num(rss / 1024.0) + " MB, peak " + BenchStats.num(peak / 1024.0) + " MB"));
  }

  /**
   * Runs {@code op(i)} for i = 0 .. warmup + count - 1, one after another on one event loop of its
   * own; the op times itself and keeps only i >= warmup. Each next op is started from the event
   * loop's queue, not from the last one's callback, so the chain never deepens the stack.
   */
  private void repeat(int warmup, int count, IntFunction<Future<?>> op) {
    Promise<Void> done = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> step(context, 0, warmup + count, op, done));
    await(done.future());
  }

  private static void step(Context context, int i, int end, IntFunction<Future<?>> op, Promise<Void> done) {
    if (i == end) {
      done.complete();
      return;
    }
    op.apply(i).onSuccess(r -> context.runOnContext(v -> step(context, i + 1, end, op, done))).onFailure(done::fail);
  }

  private Future<Long> appendOne() {
    return vertx.eventBus().<JsonObject>request(Addresses.LEDGER_APPEND, workload.event(nextPosition.getAndIncrement()))
        .map(m -> m.body().getLong("id"));
  }

  private JsonObject ledgerStatus() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.LEDGER_STATUS, null).map(m -> m.body()));
  }

  private long reads() {
    return ledgerStatus().getJsonObject("reads").getLong("calls");
  }

  private static JsonObject value(String unit, double value) {
    return new JsonObject().put("unit", unit).put("value", BenchStats.round(value));
  }

  private void print(String what, String result) {
    out.printf("  %-42s %s%n", what + ":", result);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(Pmm.rootMessage(e.getCause()), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("a bench step took more than " + TIMEOUT_MINUTES + " minutes", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary dir is not worth failing a finished bench for.
    }
  }
}
