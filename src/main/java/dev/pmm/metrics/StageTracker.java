package dev.pmm.metrics;

import dev.pmm.ledger.Event;
import dev.pmm.ledger.Py;
import dev.pmm.ledger.StateReader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original's {@code StageTracker} (reference §4.4) as an incremental fold. The stage is a
 * bucket of the mean IAS/GAS telemetry of the last 10 autonomy ticks (topped up from reflections
 * while there are fewer than 10 ticks), so only the last 10 pairs of each kind need keeping.
 *
 * <p>The original's tick uses the raw bucket as the current stage; hysteresis only decides
 * whether a {@code stage_update} is recorded. This class keeps that split: {@link #infer()} is the
 * raw bucket, {@link #withHysteresis} the recording decision.
 *
 * <p>Not thread-safe: one owner applies events and reads.
 */
public final class StageTracker {
  static final int WINDOW = 10;
  static final double HYSTERESIS = 0.03;
  private static final String[] STAGES = {"S0", "S1", "S2", "S3", "S4"};
  // Lower bounds (IAS, GAS) of S1..S4; S0 has none.
  private static final double[] IAS_MIN = {Double.NaN, 0.35, 0.50, 0.70, 0.85};
  private static final double[] GAS_MIN = {Double.NaN, 0.20, 0.35, 0.55, 0.75};

  private final ArrayDeque<double[]> tickPairs = new ArrayDeque<>();
  private final ArrayDeque<double[]> reflectionPairs = new ArrayDeque<>();
  private String recordedStage;

  public void apply(Event ev) {
    String kind = ev.kind();
    if ("autonomy_tick".equals(kind)) {
      keepLast(tickPairs, telemetry(ev));
    } else if ("reflection".equals(kind)) {
      keepLast(reflectionPairs, telemetry(ev));
    } else if ("stage_update".equals(kind)) {
      // Python only tests the newest stage_update's `to` for truthiness and membership, so a
      // falsy value is the same as none and any other value is as good as its str().
      Object to = ev.meta() == null ? null : ev.meta().get("to");
      recordedStage = Py.truthy(to) ? Py.str(to) : null;
    }
  }

  private static void keepLast(ArrayDeque<double[]> pairs, double[] pair) {
    if (pair == null) {
      return;
    }
    pairs.addLast(pair);
    if (pairs.size() > WINDOW) {
      pairs.removeFirst();
    }
  }

  /**
   * {@code (float(IAS), float(GAS))} of {@code meta.telemetry}, or null when it lacks either key
   * or either value does not convert (where the original would raise, the pair is skipped).
   */
  private static double[] telemetry(Event ev) {
    Object tel = ev.meta() == null ? null : ev.meta().get("telemetry");
    if (!(tel instanceof Map<?, ?> t) || !t.containsKey("IAS") || !t.containsKey("GAS")) {
      return null;
    }
    Double ias = Py.toFloat(t.get("IAS"));
    Double gas = Py.toFloat(t.get("GAS"));
    return ias == null || gas == null ? null : new double[] {ias, gas};
  }

  /** The raw stage bucket of the current telemetry window (the original's infer_stage). */
  public StageReading infer() {
    // Up to 10 tick pairs; while there are fewer, the newest reflection pairs fill the gap.
    // Summed oldest first, ticks then reflections, like ticks[-10:] + reflections[-fill:].
    int fill = Math.min(WINDOW - tickPairs.size(), reflectionPairs.size());
    int skip = reflectionPairs.size() - fill;
    double iasSum = 0.0;
    double gasSum = 0.0;
    for (double[] p : tickPairs) {
      iasSum += p[0];
      gasSum += p[1];
    }
    for (double[] p : reflectionPairs) {
      if (skip-- > 0) {
        continue;
      }
      iasSum += p[0];
      gasSum += p[1];
    }
    int count = tickPairs.size() + fill;
    double iasMean = count == 0 ? 0.0 : iasSum / count;
    double gasMean = count == 0 ? 0.0 : gasSum / count;
    return new StageReading(bucket(iasMean, gasMean), iasMean, gasMean, count);
  }

  /**
   * The bucket whose IAS band and GAS band both hold the means; S0 when the two bands disagree
   * (QUIRK kept: IAS 0.9 with GAS 0.4 is S0).
   */
  static String bucket(double ias, double gas) {
    if (ias >= IAS_MIN[4] && gas >= GAS_MIN[4]) {
      return "S4";
    }
    for (int level = 3; level >= 1; level--) {
      if (ias >= IAS_MIN[level] && ias < IAS_MIN[level + 1]
          && gas >= GAS_MIN[level] && gas < GAS_MIN[level + 1]) {
        return STAGES[level];
      }
    }
    return "S0";
  }

  /**
   * Whether a move from {@code prev} (the recorded stage) to {@code next} (the raw bucket) should
   * be recorded as a {@code stage_update}: enough telemetry, and the means clear the boundary by
   * the hysteresis margin. Upward moves need both means above the target's bounds, downward moves
   * either mean below the current stage's bounds.
   */
  public static boolean withHysteresis(String prev, String next, StageReading r) {
    if (r.count() < 3) {
      return false;
    }
    if (prev == null || prev.isEmpty()) {
      return true;
    }
    if (prev.equals(next)) {
      return false;
    }
    int from = level(prev);
    int to = level(next);
    if (from < 0 || to < 0) {
      return true;
    }
    if (to > from) {
      return r.iasMean() >= IAS_MIN[to] + HYSTERESIS && r.gasMean() >= GAS_MIN[to] + HYSTERESIS;
    }
    return r.iasMean() < IAS_MIN[from] - HYSTERESIS || r.gasMean() < GAS_MIN[from] - HYSTERESIS;
  }

  /** 0..4 for S0..S4, -1 for anything else. */
  static int level(String stage) {
    for (int i = 0; i < STAGES.length; i++) {
      if (STAGES[i].equals(stage)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code meta.to} of the newest stage_update, or null if there is none (or it is empty). */
  public String recordedStage() {
    return recordedStage;
  }

  Map<String, Object> toState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("tick_pairs", pairsToState(tickPairs));
    s.put("reflection_pairs", pairsToState(reflectionPairs));
    s.put("recorded_stage", recordedStage);
    return s;
  }

  private static List<Object> pairsToState(ArrayDeque<double[]> pairs) {
    List<Object> out = new ArrayList<>(pairs.size());
    for (double[] p : pairs) {
      out.add(new ArrayList<>(List.of(p[0], p[1])));
    }
    return out;
  }

  static StageTracker fromState(Object state, String path) {
    StateReader r = StateReader.of(state, path).object("tick_pairs",
        "reflection_pairs", "recorded_stage");
    StageTracker t = new StageTracker();
    pairsFromState(r.field("tick_pairs"), t.tickPairs);
    pairsFromState(r.field("reflection_pairs"), t.reflectionPairs);
    t.recordedStage = r.field("recorded_stage").orNull(StateReader::string);
    return t;
  }

  private static void pairsFromState(StateReader list, ArrayDeque<double[]> into) {
    for (StateReader item : list.items(WINDOW)) {
      // Any double, NaN and infinities included: telemetry can hold them.
      List<StateReader> p = item.pair();
      into.addLast(new double[] {p.get(0).number(), p.get(1).number()});
    }
  }
}
