package dev.pmm;

/** Every event-bus address, in one place; ARCHITECTURE.md lists the public ones. */
public final class Addresses {
  private Addresses() {}

  public static final String LEDGER_APPEND = "pmm.ledger.append";
  /** Publish: every committed event, in id order. */
  public static final String LEDGER_APPENDED = "pmm.ledger.appended";
  public static final String LEDGER_READ = "pmm.ledger.read";
  public static final String LEDGER_VERIFY = "pmm.ledger.verify";
  public static final String LEDGER_STATUS = "pmm.ledger.status";

  public static final String CHECKPOINT_SAVE = "pmm.checkpoint.save";
  public static final String CHECKPOINT_LOAD = "pmm.checkpoint.load";

  public static final String SNAPSHOT_GET = "pmm.snapshot.get";
  /** Publish: the snapshot, whenever the mind changed, at most once per coalescing window. */
  public static final String SNAPSHOT_CHANGED = "pmm.snapshot.changed";
  public static final String PROJECTION_STATUS = "pmm.projection.status";

  public static final String METRICS_GET = "pmm.metrics.get";
  /** Publish: the metrics after each event that can change them (internal, feeds the snapshot). */
  public static final String METRICS_CHANGED = "pmm.metrics.changed";
  public static final String METRICS_STATUS = "pmm.metrics.status";

  public static final String TURN_SUBMIT = "pmm.turn.submit";
  public static final String TURN_STREAM = "pmm.turn.stream";
  public static final String TICK_DONE = "pmm.tick.done";

  /** Memory's vectors in the ledger's side table (internal): {model, items} → {saved}; {model, limit} → {events}. */
  public static final String EMBEDDINGS_PUT = "pmm.embeddings.put";
  public static final String EMBEDDINGS_LOAD = "pmm.embeddings.load";
  /** {text, k?, exclude?} → {items: [{event_id, kind, text, score}], timed_out}. */
  public static final String MEMORY_RECALL = "pmm.memory.recall";
  public static final String MEMORY_STATUS = "pmm.memory.status";
}
