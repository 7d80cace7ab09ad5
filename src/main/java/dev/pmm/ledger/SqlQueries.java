package dev.pmm.ledger;

import java.util.List;

/**
 * Every SQL statement, in one place, so that a second dialect (PostgreSQL) means one more holder.
 * Written for HSQLDB 2.7.
 */
public final class SqlQueries {
  private SqlQueries() {}

  private static final String EVENT_COLUMNS = "id, ts, kind, content, meta, prev_hash, hash";
  private static final String TEXT = "VARCHAR(16777216)";

  public static final List<String> SCHEMA = List.of(
      // Durable: the log is synced at every commit, so a reply is only sent for what a crash keeps.
      "SET FILES WRITE DELAY FALSE",
      // The row cache bounds memory (64 MB, 250,000 rows) whatever the ledger's length.
      "SET FILES CACHE SIZE 65536",
      "SET FILES CACHE ROWS 250000",
      "CREATE CACHED TABLE IF NOT EXISTS events ("
          + "id BIGINT PRIMARY KEY, ts VARCHAR(256) NOT NULL, kind VARCHAR(256) NOT NULL, "
          + "content " + TEXT + " NOT NULL, meta " + TEXT + " NOT NULL, "
          + "prev_hash VARCHAR(64), hash VARCHAR(64))",
      "CREATE INDEX IF NOT EXISTS idx_events_kind_id ON events(kind, id)",
      "CREATE CACHED TABLE IF NOT EXISTS checkpoints ("
          + "cache VARCHAR(64) NOT NULL, last_event_id BIGINT NOT NULL, event_hash VARCHAR(64) NOT NULL, "
          + "state " + TEXT + " NOT NULL, checksum VARCHAR(64) NOT NULL, created_ts VARCHAR(64) NOT NULL, "
          + "PRIMARY KEY (cache, last_event_id))",
      // Memory's vectors, by event and model, so that a restart never embeds an event twice.
      "CREATE CACHED TABLE IF NOT EXISTS embeddings ("
          + "event_id BIGINT NOT NULL, model VARCHAR(64) NOT NULL, vector VARBINARY(" + SqlQueries.EMBEDDING_MAX_BYTES + ") NOT NULL, "
          + "PRIMARY KEY (event_id, model))");

  public static final String LAST_EVENT = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";

  public static final String INSERT_EVENT =
      "INSERT INTO events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";

  /** Parameters: after, up to (inclusive), limit. */
  public static final String READ_AFTER =
      "SELECT " + EVENT_COLUMNS + " FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";

  /** Parameters: kind, after, up to (inclusive), limit; served by idx_events_kind_id. */
  public static final String READ_KIND_AFTER =
      "SELECT " + EVENT_COLUMNS + " FROM events WHERE kind = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?";

  /** Parameters: before, limit; newest first. */
  public static final String READ_BEFORE =
      "SELECT " + EVENT_COLUMNS + " FROM events WHERE id < ? ORDER BY id DESC LIMIT ?";

  /** Parameters: kind, before, limit; newest first. */
  public static final String READ_KIND_BEFORE =
      "SELECT " + EVENT_COLUMNS + " FROM events WHERE kind = ? AND id < ? ORDER BY id DESC LIMIT ?";

  public static final String HASH_OF = "SELECT hash FROM events WHERE id = ?";

  public static final String CHECKPOINT_DELETE_AT = "DELETE FROM checkpoints WHERE cache = ? AND last_event_id = ?";

  public static final String CHECKPOINT_INSERT =
      "INSERT INTO checkpoints (cache, last_event_id, event_hash, state, checksum, created_ts) VALUES (?, ?, ?, ?, ?, ?)";

  /** Parameters: cache, limit; newest first. */
  public static final String CHECKPOINT_NEWEST =
      "SELECT last_event_id, event_hash, state, checksum FROM checkpoints WHERE cache = ? ORDER BY last_event_id DESC LIMIT ?";

  /** Parameters: cache, oldest id to keep. */
  public static final String CHECKPOINT_PRUNE = "DELETE FROM checkpoints WHERE cache = ? AND last_event_id < ?";

  public static final String SHUTDOWN = "SHUTDOWN";

  // ---------------------------------------------------------------- embeddings

  /** The largest vector stored: 4096 float32 dimensions (MiniLM's 384 take 1536 bytes). */
  public static final int EMBEDDING_MAX_BYTES = 16384;

  /** Parameters: event id, model, vector; stores it unless that event has one for that model. */
  public static final String EMBEDDING_PUT =
      "MERGE INTO embeddings USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(64)), CAST(? AS VARBINARY("
          + EMBEDDING_MAX_BYTES + ")))) AS v (event_id, model, vector) "
          + "ON embeddings.event_id = v.event_id AND embeddings.model = v.model "
          + "WHEN NOT MATCHED THEN INSERT VALUES v.event_id, v.model, v.vector";

  /**
   * The newest events of the given kinds with their vector for one model (null where none is
   * stored), newest first. Parameters: most characters of content; each kind and the limit; the
   * model; the limit. One descending range of idx_events_kind_id per kind, so the cost is the
   * limit's, not the ledger's.
   */
  public static String embeddingsLoad(int kinds) {
    if (kinds < 1) {
      throw new IllegalArgumentException("at least one kind");
    }
    StringBuilder union = new StringBuilder();
    for (int i = 0; i < kinds; i++) {
      if (i > 0) {
        union.append(" UNION ALL ");
      }
      union.append("(SELECT id, kind, content FROM events WHERE kind = ? ORDER BY id DESC LIMIT ?)");
    }
    return "SELECT c.id, c.kind, SUBSTRING(c.content, 1, ?), m.vector FROM (" + union + ") AS c "
        + "LEFT JOIN embeddings m ON m.event_id = c.id AND m.model = ? ORDER BY c.id DESC LIMIT ?";
  }
}
