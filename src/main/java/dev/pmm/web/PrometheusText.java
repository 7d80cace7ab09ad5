package dev.pmm.web;

import io.vertx.core.json.JsonObject;

/** Component statuses as Prometheus text exposition. */
final class PrometheusText {
  private PrometheusText() {}

  static String of(JsonObject components) {
    StringBuilder out = new StringBuilder();
    JsonObject ledger = components.getJsonObject("ledger", new JsonObject());
    JsonObject reads = ledger.getJsonObject("reads", new JsonObject());
    counter(out, "pmm_ledger_read_calls_total", "Storage reads served by the ledger", reads.getLong("calls"));
    counter(out, "pmm_ledger_read_rows_total", "Rows returned by storage reads", reads.getLong("rows"));
    counter(out, "pmm_ledger_full_scans_total", "Reads that started at the first event", reads.getLong("full_scans"));
    counter(out, "pmm_ledger_appends_total", "Events committed", ledger.getLong("appends"));
    counter(out, "pmm_ledger_batches_total", "Append transactions committed", ledger.getLong("batches"));
    gauge(out, "pmm_ledger_last_event_id", "Id of the newest event", ledger.getLong("last_id"));
    gauge(out, "pmm_ledger_append_queue", "Appends waiting for a batch", ledger.getLong("queued"));
    for (String cache : new String[] {"projection", "metrics"}) {
      JsonObject c = components.getJsonObject(cache, new JsonObject());
      String p = "pmm_" + cache + "_";
      counter(out, p + "events_folded_total", "Events folded by the " + cache + " cache", c.getLong("folded"));
      counter(out, p + "checkpoints_written_total", "Checkpoints saved by the " + cache + " cache", c.getLong("checkpoints_written"));
      counter(out, p + "consistency_checks_total", "Full-replay comparisons run", c.getLong("consistency_checks"));
      counter(out, p + "consistency_mismatches_total", "Full-replay comparisons that differed", c.getLong("consistency_mismatches"));
    }
    JsonObject memory = components.getJsonObject("memory", new JsonObject());
    JsonObject cache = memory.getJsonObject("cache", new JsonObject());
    counter(out, "pmm_memory_cache_hits_total", "Embedding cache hits", cache.getLong("hits"));
    counter(out, "pmm_memory_cache_misses_total", "Embedding cache misses", cache.getLong("misses"));
    counter(out, "pmm_memory_cache_evictions_total", "Embedding cache evictions", cache.getLong("evictions"));
    gauge(out, "pmm_memory_cache_size", "Embeddings in the cache", cache.getLong("size"));
    counter(out, "pmm_memory_events_embedded_total", "Events embedded by this process", memory.getLong("embedded"));
    counter(out, "pmm_memory_recall_timeouts_total", "Recalls answered empty past the budget", memory.getLong("recall_timeouts"));
    gauge(out, "pmm_memory_index_size", "Events in the recall index", memory.getLong("index_size"));
    JsonObject turns = components.getJsonObject("turns", new JsonObject());
    counter(out, "pmm_turns_completed_total", "Turns that completed", turns.getLong("completed"));
    counter(out, "pmm_turns_failed_total", "Turns that ended as turn_failed", turns.getLong("failed"));
    counter(out, "pmm_turns_aborted_total", "Turns that ended as turn_aborted", turns.getLong("aborted"));
    counter(out, "pmm_ticks_total", "Autonomy ticks completed", components.getJsonObject("autonomy", new JsonObject()).getLong("ticks_done"));
    out.append("# HELP pmm_component_up Whether a component answers and is not DOWN\n# TYPE pmm_component_up gauge\n");
    for (String component : components.fieldNames()) {
      String status = components.getJsonObject(component).getString("status", "DOWN");
      out.append("pmm_component_up{component=\"").append(component).append("\"} ")
          .append(status.equals("DOWN") ? 0 : 1).append('\n');
    }
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, Long value) {
    metric(out, name, help, "counter", value);
  }

  private static void gauge(StringBuilder out, String name, String help, Long value) {
    metric(out, name, help, "gauge", value);
  }

  private static void metric(StringBuilder out, String name, String help, String type, Long value) {
    if (value == null) {
      return;
    }
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n')
        .append(name).append(' ').append(value).append('\n');
  }
}
