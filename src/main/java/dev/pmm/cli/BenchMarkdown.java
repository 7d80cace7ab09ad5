package dev.pmm.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.pmm.cli.BenchStats.num;

/** The bench's report as the Markdown tables of BENCHMARKS.md ({@code --markdown FILE}), one column per ledger size. */
final class BenchMarkdown {
  private BenchMarkdown() {}

  /** Every measure, in the order BENCHMARKS.md describes them. */
  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put("fill_events_per_s", "fill, 256 appends in flight (events/s)");
    LABELS.put("append_1_sender_latency_ms", "durable append, 1 sender, latency (ms)");
    LABELS.put("append_1_sender_events_per_s", "durable append, 1 sender (events/s)");
    LABELS.put("append_16_senders_events_per_s", "durable append, 16 senders (events/s)");
    LABELS.put("append_16_senders_mean_batch", "events per transaction, 16 senders");
    LABELS.put("append_64_senders_events_per_s", "durable append, 64 senders (events/s)");
    LABELS.put("snapshot_bus_after_append_ms", "snapshot after 1 new event, event bus (ms)");
    LABELS.put("snapshot_bus_unchanged_ms", "snapshot, unchanged, event bus (ms)");
    LABELS.put("snapshot_http_after_append_ms", "snapshot after 1 new event, HTTP, kept-alive (ms)");
    LABELS.put("snapshot_http_new_connection_after_append_ms", "snapshot after 1 new event, HTTP, new connection (ms)");
    LABELS.put("append_to_snapshot_ms", "append to a snapshot showing it (ms)");
    LABELS.put("fold_ms_per_event", "fold, projection + metrics, per event (µs)");
    LABELS.put("turn_bus_ms", "turn, server side, event bus (ms)");
    LABELS.put("turn_ws_ms", "turn, WebSocket end to end (ms)");
    LABELS.put("turn_events", "events per turn");
    LABELS.put("turn_commits", "transactions per turn");
    LABELS.put("tick_after_append_ms", "tick after 1 new event (ms)");
    LABELS.put("storage_reads_per_turn", "storage reads per turn");
    LABELS.put("storage_reads_per_tick", "storage reads per tick");
    LABELS.put("storage_reads_during_snapshots", "storage reads during all snapshot samples");
    LABELS.put("verify_events_per_s", "verify (events/s)");
    LABELS.put("cold_start_ms", "cold start to a snapshot, this JVM (ms)");
    LABELS.put("cold_start_rows_read", "rows read by that cold start");
    LABELS.put("cold_start_process_ms", "cold start to a snapshot, new JVM (ms)");
    LABELS.put("replay_events_per_s", "full replay, compared with checkpoints (events/s)");
    LABELS.put("heap_after_gc_mb", "heap after GC, serving (MB)");
    LABELS.put("heap_after_cold_start_mb", "heap after GC, after a cold start (MB)");
    LABELS.put("heap_after_replay_mb", "heap after GC, after the replays (MB)");
    LABELS.put("max_heap_mb", "max heap, -Xmx (MB)");
    LABELS.put("rss_mb", "RSS, serving (MB)");
    LABELS.put("rss_peak_mb", "RSS, peak so far (MB)");
  }

  static String render(JsonObject report) {
    JsonArray results = report.getJsonArray("results");
    StringBuilder md = new StringBuilder();
    JsonObject machine = report.getJsonObject("machine");
    md.append("Measured ").append(machine.getString("date")).append(" on ").append(machine.getString("cpu")).append(", ")
        .append(machine.getInteger("cores")).append(" cores, ").append(machine.getLong("memory_mb")).append(" MB, ")
        .append(machine.getString("java")).append(", ").append(machine.getString("os")).append(", heap up to ")
        .append(machine.getLong("max_heap_mb")).append(" MB. Load average (1, 5, 15 min) before each size: ");
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      md.append(i == 0 ? "" : "; ").append(num(r.getLong("events"))).append(": ").append(r.getString("load_average_before"));
    }
    md.append(".\n\nLatencies: p50 / p99 (min to max); repeated throughputs: median (min to max).\n\n| measure |");
    results.forEach(r -> md.append(' ').append(num(((JsonObject) r).getLong("events"))).append(" events |"));
    md.append("\n|---|").append("---|".repeat(results.size())).append('\n');
    LABELS.forEach((key, label) -> {
      md.append("| ").append(label).append(" |");
      // The fold is kept in ms for the comparison; a table of 0.0002 ms reads better as 0.2 µs.
      double scale = label.endsWith("(µs)") ? 1000 : 1;
      results.forEach(r -> md.append(' ').append(cell(((JsonObject) r).getJsonObject("measures").getValue(key), scale)).append(" |"));
      md.append('\n');
    });
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      md.append("\n#### ").append(num(r.getLong("events"))).append(" events: ours beside the seed and the Python original\n\n")
          .append("| measure | ours | seed's claim (10K) | x seed | Python original here | x Python | target | |\n")
          .append("|---|---|---|---|---|---|---|---|\n");
      for (Object c : r.getJsonArray("comparison")) {
        JsonObject row = (JsonObject) c;
        String unit = " " + row.getString("unit");
        md.append("| ").append(row.getString("measure"))
            .append(" | ").append(row.getDouble("ours") == null ? "missing" : num(row.getDouble("ours")) + unit)
            .append(" | ").append(row.getString("seed_claim") == null ? "" : row.getString("seed_claim"))
            .append(" | ").append(times(row.getDouble("ratio_seed")))
            .append(" | ").append(row.getDouble("python") == null ? "" : num(row.getDouble("python")) + unit + " at "
                + num(row.getLong("python_at_events")) + (row.getString("python_as_measured") == null ? "" : " (" + row.getString("python_as_measured") + ")"))
            .append(" | ").append(times(row.getDouble("ratio_python")))
            .append(" | ").append(row.getDouble("target") == null ? "" : (row.getString("target_is").equals("<=") ? "≤ " : "≥ ")
                + num(row.getDouble("target")) + unit)
            .append(" | ").append(row.getBoolean("pass") == null ? "" : row.getBoolean("pass") ? "pass" : "**miss**")
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static String cell(Object value, double scale) {
    if (!(value instanceof JsonObject m)) {
      return value == null ? "" : String.valueOf(value);
    }
    if (m.containsKey("p50")) {
      return num(scale * m.getDouble("p50")) + " / " + num(scale * m.getDouble("p99"))
          + " (" + num(scale * m.getDouble("min")) + " to " + num(scale * m.getDouble("max")) + ")";
    }
    if (m.containsKey("median")) {
      return num(scale * m.getDouble("median")) + " (" + num(scale * m.getDouble("min")) + " to " + num(scale * m.getDouble("max")) + ")";
    }
    return num(scale * m.getDouble("value"));
  }

  private static String times(Double ratio) {
    return ratio == null ? "" : num(ratio) + "x";
  }
}
