package dev.pmm.config;

import java.util.List;

/**
 * Every configuration key, in one place. Each is overridable by the environment variable
 * {@code PMM_} + the key upper-cased with dots as underscores, and by the command line.
 * Defaults live where a value is read.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String DATA_DIR = "data.dir";
  /** A full JDBC URL; when absent the ledger is an HSQLDB file under {@link #DATA_DIR}. */
  public static final String DB_URL = "db.url";

  public static final String LEDGER_BATCH_MAX = "ledger.batch.max";
  public static final String LEDGER_EVENT_MAX_BYTES = "ledger.event.max.bytes";
  public static final String LEDGER_READ_LIMIT_MAX = "ledger.read.limit.max";

  public static final String CHECKPOINT_EVERY = "checkpoint.every";
  public static final String CHECKPOINT_KEEP = "checkpoint.keep";
  public static final String CONSISTENCY_CHECK_EVERY = "consistency.check.every";
  public static final String REPLAY_PAGE_SIZE = "replay.page.size";

  public static final String SNAPSHOT_COALESCE_MS = "snapshot.coalesce.ms";
  public static final String PROJECTION_EXPIRED_KEEP = "projection.expired.keep";

  /** "minilm" (all-MiniLM-L6-v2 in process) or "hash" (word hashing, for tests and as the fallback). */
  public static final String MEMORY_EMBEDDER = "memory.embedder";
  public static final String MEMORY_CACHE_SIZE = "memory.cache.size";
  public static final String MEMORY_RECALL_WINDOW = "memory.recall.window";
  public static final String MEMORY_RECALL_K = "memory.recall.k";
  public static final String MEMORY_RECALL_BUDGET_MS = "memory.recall.budget.ms";

  public static final List<String> ALL = List.of(
      HTTP_HOST, HTTP_PORT, DATA_DIR, DB_URL,
      LEDGER_BATCH_MAX, LEDGER_EVENT_MAX_BYTES, LEDGER_READ_LIMIT_MAX,
      CHECKPOINT_EVERY, CHECKPOINT_KEEP, CONSISTENCY_CHECK_EVERY, REPLAY_PAGE_SIZE,
      SNAPSHOT_COALESCE_MS, PROJECTION_EXPIRED_KEEP,
      MEMORY_EMBEDDER, MEMORY_CACHE_SIZE, MEMORY_RECALL_WINDOW, MEMORY_RECALL_K, MEMORY_RECALL_BUDGET_MS);

  public static String envName(String key) {
    return "PMM_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }
}
