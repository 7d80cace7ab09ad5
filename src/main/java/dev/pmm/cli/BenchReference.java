package dev.pmm.cli;

import java.util.List;

/**
 * What the bench puts beside its own numbers, as issue 5 gives them: the Python original measured
 * on this project's 2-core machine (at 10,000 and 100,000 events), the seed document's claims (at
 * 10,000 events, with its caches), and the targets (for 100,000 and 1,000,000 events).
 */
final class BenchReference {
  private BenchReference() {}

  static final long PYTHON_SMALL = 10_000;
  static final long PYTHON_LARGE = 100_000;

  // The Python original, measured here: 10K / 100K events.
  static final double PY_SNAPSHOT_MS_10K = 86;
  static final double PY_SNAPSHOT_MS_100K = 630;
  static final double PY_TICK_MS_10K = 60;
  static final double PY_TICK_MS_100K = 584;
  static final double PY_METRICS_MS_10K = 53;
  static final double PY_METRICS_MS_100K = 488;
  static final double PY_VERIFY_S_10K = 0.171;
  static final double PY_VERIFY_S_100K = 2.6;
  /** Per event, with no fsync per event (so not durable the way ours is). */
  static final double PY_APPEND_MS = 0.3;
  /** 1.4 s to read 100K events plus 0.6 s of folds; not measured at 10K. */
  static final double PY_COLD_START_MS_100K = 1400 + 600;
  /** The whole ledger in memory. */
  static final double PY_RSS_MB_100K = 254;

  // The seed's claims, at 10K events with its caches (the lower end of each range, so a ratio is the least favourable).
  static final double SEED_PROJECTION_MS = 5;
  static final double SEED_METRICS_MS = 10;
  static final double SEED_TURN_MS = 50;
  static final double SEED_READ_ALL_PER_TICK = 1;

  // The targets.
  static final double TARGET_SNAPSHOT_MS = 0.2;
  static final double TARGET_TICK_MS = 2;
  static final double TARGET_METRICS_MS_PER_EVENT = 0.02;
  static final double TARGET_VERIFY_PER_S = 300_000;
  static final double TARGET_APPEND_16_PER_S = 20_000;
  static final double TARGET_COLD_START_MS_100K = 1000;
  static final double TARGET_COLD_START_MS_1M = 3000;
  static final double TARGET_TURN_P50_MS = 5;
  static final double TARGET_TURN_P99_MS = 20;
  static final double TARGET_HEAP_MB = 256;
  static final double TARGET_READS_PER_TICK = 0;
  static final double TARGET_READS_PER_TURN = 1;

  enum Better { LOWER, HIGHER }

  /**
   * One line of the comparison: which of our measures (and which statistic of it), and what it is
   * compared with. A null reference or target means there is none.
   */
  record Row(String label, String measure, String stat, String unit, Better better,
             Double python10k, Double python100k, String pythonText,
             Double seed, String seedText, Double target, Double target1m) {

    /** The Python figure for a ledger of {@code events}: the one measured at the nearest size not above it (10K below that). */
    Double python(long events) {
      return events >= PYTHON_LARGE && python100k != null ? python100k : python10k != null ? python10k : python100k;
    }

    long pythonAt(long events) {
      return events >= PYTHON_LARGE && python100k != null ? PYTHON_LARGE : python10k != null ? PYTHON_SMALL : PYTHON_LARGE;
    }

    /** Above 100,000 events the larger target applies where it gives one. */
    Double target(long events) {
      return events > PYTHON_LARGE && target1m != null ? target1m : target;
    }
  }

  static final List<Row> ROWS = List.of(
      new Row("snapshot after 1 new event, event bus, p50", "snapshot_bus_after_append_ms", "p50", "ms", Better.LOWER,
          PY_SNAPSHOT_MS_10K, PY_SNAPSHOT_MS_100K, null, SEED_PROJECTION_MS, "5-10 ms (projection)", TARGET_SNAPSHOT_MS, null),
      new Row("snapshot after 1 new event, HTTP, p50", "snapshot_http_after_append_ms", "p50", "ms", Better.LOWER,
          PY_SNAPSHOT_MS_10K, PY_SNAPSHOT_MS_100K, null, SEED_PROJECTION_MS, "5-10 ms (projection)", null, null),
      new Row("tick after 1 new event, p50", "tick_after_append_ms", "p50", "ms", Better.LOWER,
          PY_TICK_MS_10K, PY_TICK_MS_100K, null, null, null, TARGET_TICK_MS, null),
      new Row("metrics after 1 new event (fold, per event)", "fold_ms_per_event", "median", "ms", Better.LOWER,
          PY_METRICS_MS_10K, PY_METRICS_MS_100K, null, SEED_METRICS_MS, "10-20 ms (metrics)", TARGET_METRICS_MS_PER_EVENT, null),
      new Row("verify", "verify_events_per_s", "median", "events/s", Better.HIGHER,
          PYTHON_SMALL / PY_VERIFY_S_10K, PYTHON_LARGE / PY_VERIFY_S_100K, "171 ms / 2.6 s", null, null, TARGET_VERIFY_PER_S, null),
      new Row("durable append, 16 senders", "append_16_senders_events_per_s", "median", "events/s", Better.HIGHER,
          1000 / PY_APPEND_MS, 1000 / PY_APPEND_MS, "no fsync", null, null, TARGET_APPEND_16_PER_S, null),
      new Row("durable append, 1 sender, latency p50", "append_1_sender_latency_ms", "p50", "ms", Better.LOWER,
          PY_APPEND_MS, PY_APPEND_MS, "no fsync", null, null, null, null),
      new Row("cold start to a snapshot, from a checkpoint", "cold_start_ms", "median", "ms", Better.LOWER,
          null, PY_COLD_START_MS_100K, "1.4 s read + 0.6 s folds", null, null, TARGET_COLD_START_MS_100K, TARGET_COLD_START_MS_1M),
      new Row("turn, server side (event bus), p50", "turn_bus_ms", "p50", "ms", Better.LOWER,
          null, null, null, SEED_TURN_MS, "50-100 ms", TARGET_TURN_P50_MS, null),
      new Row("turn, server side (event bus), p99", "turn_bus_ms", "p99", "ms", Better.LOWER,
          null, null, null, SEED_TURN_MS, "50-100 ms", TARGET_TURN_P99_MS, null),
      new Row("turn, WebSocket end to end, p50", "turn_ws_ms", "p50", "ms", Better.LOWER,
          null, null, null, SEED_TURN_MS, "50-100 ms", TARGET_TURN_P50_MS, null),
      new Row("turn, WebSocket end to end, p99", "turn_ws_ms", "p99", "ms", Better.LOWER,
          null, null, null, SEED_TURN_MS, "50-100 ms", TARGET_TURN_P99_MS, null),
      new Row("heap after GC, serving (whole JVM)", "heap_after_gc_mb", "value", "MB", Better.LOWER,
          null, PY_RSS_MB_100K, "RSS", null, null, null, null),
      new Row("heap after GC, most of 3 readings", "heap_after_gc_most_mb", "value", "MB", Better.LOWER,
          null, PY_RSS_MB_100K, "RSS", null, null, TARGET_HEAP_MB, null),
      new Row("max heap the whole run fit in (-Xmx)", "max_heap_mb", "value", "MB", Better.LOWER,
          null, null, null, null, null, TARGET_HEAP_MB, null),
      new Row("process RSS", "rss_mb", "value", "MB", Better.LOWER,
          null, PY_RSS_MB_100K, "RSS", null, null, null, null),
      new Row("storage reads per tick", "storage_reads_per_tick", "value", "reads", Better.LOWER,
          null, null, null, SEED_READ_ALL_PER_TICK, "1-2 read_all()", TARGET_READS_PER_TICK, null),
      new Row("storage reads per turn", "storage_reads_per_turn", "value", "reads", Better.LOWER,
          null, null, null, null, null, TARGET_READS_PER_TURN, null));
}
