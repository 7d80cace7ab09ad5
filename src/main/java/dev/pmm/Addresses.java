package dev.pmm;

/** Every event-bus address, in one place; ARCHITECTURE.md lists the public ones. */
public final class Addresses {
  private Addresses() {}

  public static final String LEDGER_APPEND = "pmm.ledger.append";
  /** Publish: every committed event, in id order. */
  public static final String LEDGER_APPENDED = "pmm.ledger.appended";
  public static final String LEDGER_READ = "pmm.ledger.read";
  public static final String LEDGER_VERIFY = "pmm.ledger.verify";
  /** → {running, checked, up_to, started_at, last}: the verification in progress and the newest finished one. */
  public static final String LEDGER_VERIFY_STATUS = "pmm.ledger.verify.status";
  public static final String LEDGER_STATUS = "pmm.ledger.status";

  public static final String CHECKPOINT_SAVE = "pmm.checkpoint.save";
  public static final String CHECKPOINT_LOAD = "pmm.checkpoint.load";
  /** {cache, before} → {found, last_event_id, state, checked}: where a consistency check starts its replay. */
  public static final String CHECKPOINT_BASE = "pmm.checkpoint.base";
  /** {cache, last_event_id, event_hash, state}: a state found equal to a replay, kept as the next check's base. */
  public static final String CHECKPOINT_CHECKED = "pmm.checkpoint.checked";

  /** The snapshot as clients see it: the open commitments listed up to a bound, long texts cut. */
  public static final String SNAPSHOT_GET = "pmm.snapshot.get";
  /** Internal (never bridged): the snapshot with every open commitment whole, which turns and ticks decide from. */
  public static final String SNAPSHOT_FULL = "pmm.snapshot.full";
  /** Publish: the snapshot, whenever the mind changed, at most once per coalescing window. */
  public static final String SNAPSHOT_CHANGED = "pmm.snapshot.changed";
  public static final String PROJECTION_STATUS = "pmm.projection.status";

  public static final String METRICS_GET = "pmm.metrics.get";
  /** Publish: the metrics after each event that can change them (internal, feeds the snapshot). */
  public static final String METRICS_CHANGED = "pmm.metrics.changed";
  public static final String METRICS_STATUS = "pmm.metrics.status";

  public static final String TURN_SUBMIT = "pmm.turn.submit";
  /** Publish {turn, text}: one token of a reply. */
  public static final String TURN_STREAM = "pmm.turn.stream";
  /** {turn}: stops a running turn (turn_aborted) or drops a queued one. */
  public static final String TURN_CANCEL = "pmm.turn.cancel";
  /** Publish {turn, id, position}: a turn waits behind another. */
  public static final String TURN_QUEUED = "pmm.turn.queued";
  /** Publish {turn, id, user_event_id}: a turn's user message is in the ledger. */
  public static final String TURN_STARTED = "pmm.turn.started";
  /** Publish {turn, id, reply, event_ids}: a turn completed. */
  public static final String TURN_DONE = "pmm.turn.done";
  /** Publish {turn, id, kind, reason, message}: a turn ended as turn_aborted or turn_failed. */
  public static final String TURN_ENDED = "pmm.turn.ended";
  public static final String TURN_STATUS = "pmm.turn.status";

  /** Publish {tick, ias, gas, stage, reflected}: a tick completed. */
  public static final String TICK_DONE = "pmm.tick.done";
  /** Runs one tick now (tests and operators); replies with what pmm.tick.done publishes. */
  public static final String TICK_NOW = "pmm.tick.now";
  public static final String TICK_STATUS = "pmm.tick.status";

  /** Memory's vectors in the ledger's side table (internal): {model, items} → {saved}; {model, limit} → {events}. */
  public static final String EMBEDDINGS_PUT = "pmm.embeddings.put";
  public static final String EMBEDDINGS_LOAD = "pmm.embeddings.load";
  /** {text, k?, exclude?} → {items: [{event_id, kind, text, score}], timed_out}. */
  public static final String MEMORY_RECALL = "pmm.memory.recall";
  public static final String MEMORY_STATUS = "pmm.memory.status";
}
