package dev.pmm.metrics;

import dev.pmm.ledger.Event;
import dev.pmm.ledger.StateReader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the metrics cache folds from the ledger: IAS/GAS, the stage window, and how far the
 * fold has got. Its state is plain JSON values so a checkpoint can hold it, and a state read back
 * continues exactly as if the fold had never stopped.
 *
 * <p>Not thread-safe: one owner (the cache verticle) applies events and reads.
 */
public final class MetricsState {
  public static final long SCHEMA = 1;

  private final IasGasFold iasGas;
  private final StageTracker stage;
  private long lastEventId;
  private long eventsFolded;

  public MetricsState() {
    this(new IasGasFold(), new StageTracker(), 0, 0);
  }

  private MetricsState(IasGasFold iasGas, StageTracker stage, long lastEventId,
                       long eventsFolded) {
    this.iasGas = iasGas;
    this.stage = stage;
    this.lastEventId = lastEventId;
    this.eventsFolded = eventsFolded;
  }

  /**
   * Whether an event of this kind can change {@link #metrics()}: the IAS/GAS kinds, which include
   * the two that carry stage telemetry (autonomy_tick, reflection). A stage_update changes only
   * {@link #recordedStage()}.
   */
  public static boolean affects(String kind) {
    return IasGasFold.affects(kind);
  }

  /**
   * Folds one event, in ledger order. An event at or below {@link #lastEventId()} was folded
   * already (a replay after a checkpoint may overlap it): it is ignored and false is returned.
   */
  public boolean apply(Event ev) {
    if (ev.id() <= lastEventId) {
      return false;
    }
    iasGas.apply(ev);
    stage.apply(ev);
    lastEventId = ev.id();
    eventsFolded++;
    return true;
  }

  public double ias() {
    return iasGas.ias();
  }

  public double gas() {
    return iasGas.gas();
  }

  public long ticks() {
    return iasGas.ticks();
  }

  /** The raw stage bucket and the window behind it. */
  public StageReading stageReading() {
    return stage.infer();
  }

  /** The newest stage_update's stage: the {@code prev} of {@link StageTracker#withHysteresis}. */
  public String recordedStage() {
    return stage.recordedStage();
  }

  public long lastEventId() {
    return lastEventId;
  }

  public long eventsFolded() {
    return eventsFolded;
  }

  /** The snapshot's {@code metrics} part: {@code {ias, gas, stage, ticks}}. */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ias", ias());
    m.put("gas", gas());
    m.put("stage", stage.infer().stage());
    m.put("ticks", ticks());
    return m;
  }

  /**
   * The full state as plain JSON values (LinkedHashMap, ArrayList, String, Long, Double, null),
   * for a checkpoint. Doubles are stored as they are, so they must be written exactly (a
   * shortest-repr writer such as Python's is).
   */
  public Map<String, Object> toState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("schema", SCHEMA);
    s.put("last_event_id", lastEventId);
    s.put("events_folded", eventsFolded);
    s.put("ias_gas", iasGas.toState());
    s.put("stage", stage.toState());
    return s;
  }

  /**
   * Reads back what {@link #toState()} wrote.
   *
   * @throws IllegalArgumentException naming the first bad value, for an unknown schema or
   *     malformed state
   */
  public static MetricsState fromState(Map<String, Object> state) {
    if (state == null) {
      throw new IllegalArgumentException("state is null");
    }
    Object schema = state.get("schema");
    if (!(schema instanceof Long || schema instanceof Integer)
        || ((Number) schema).longValue() != SCHEMA) {
      throw new IllegalArgumentException("state.schema must be " + SCHEMA + ", got " + schema);
    }
    StateReader r = StateReader.of(state, "state").object("schema",
        "last_event_id", "events_folded", "ias_gas", "stage");
    IasGasFold iasGas = IasGasFold.fromState(state.get("ias_gas"), "state.ias_gas");
    long eventsFolded = r.field("events_folded").count();
    if (iasGas.ticks() > eventsFolded) {
      throw new IllegalArgumentException("state.ias_gas.ticks (" + iasGas.ticks()
          + ") exceeds state.events_folded (" + eventsFolded + ")");
    }
    return new MetricsState(iasGas, StageTracker.fromState(state.get("stage"), "state.stage"),
        r.field("last_event_id").count(), eventsFolded);
  }
}
