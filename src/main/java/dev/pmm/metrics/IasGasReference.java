package dev.pmm.metrics;

import dev.pmm.ledger.Event;
import dev.pmm.ledger.Py;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A literal port of the original's {@code compute_ias_gas(events)} (reference §4.1): two passes
 * over the whole list, quirks included. It is the oracle {@link IasGasFold} is tested against; it
 * needs the whole ledger in memory, so nothing outside tests and tools should call it.
 *
 * <p>One deliberate difference: where Python raises out of the whole computation because
 * {@code meta.confidence} is not convertible by {@code float()} (null, a list, "high"), this
 * port reads the confidence as 0.0, so one bad event cannot make the metrics unreadable.
 * Likewise a {@code meta.details} that is not an object counts as {}.
 */
public final class IasGasReference {
  private IasGasReference() {}

  static final int STABLE_IDENTITY_WINDOW_TICKS = 5;
  static final double IAS_PER_STABLE_WINDOW = 0.03;
  static final double IAS_FLIP_FLOP_PENALTY = 0.08;
  static final double GAS_PER_COMMIT_OPEN_NOVEL = 0.07;
  static final double GAS_PER_COMMIT_CLOSE_CLEAN = 0.12;
  static final double IAS_REFLECTION_IDENTITY_BONUS = 0.01;
  static final double DECAY_PER_TICK = 0.9995;
  static final int OPEN_NOVEL_WINDOW_TICKS = 20;
  static final int REPEAT_REFLECT_WINDOW_TICKS = 8;
  static final double FEEDBACK_IAS_TO_GAS_MULT = 0.1;
  static final double FEEDBACK_GAS_TO_IAS_MULT = 0.05;
  static final double INVARIANT_PENALTY = 0.005;
  static final double ADOPT_MIN_CONFIDENCE = 0.9;

  // The original derives these from openness/conscientiousness, but reads the traits from the
  // wrong key, so they are always 1.0 (QUIRK, reference §4.1). Kept as names so the formulas
  // below read like the original's.
  static final double OPEN_MULT = 1.0;
  static final double CONS_MULT = 1.0;

  /** Returns {ias, gas}, each clipped to [0, 1]. */
  public static double[] compute(List<Event> events) {
    double[] raw = computeRaw(events);
    return withFeedback(raw[0], raw[1]);
  }

  /** {ias, gas} before the final feedback and clip, as the fold keeps them. */
  static double[] computeRaw(List<Event> events) {
    Map<Long, Long> tickIndex = new HashMap<>();
    long tick = 0;
    for (int i = 0; i < events.size(); i++) {
      Event ev = events.get(i);
      if ("autonomy_tick".equals(ev.kind())) {
        tick++;
      }
      tickIndex.put(eid(i, ev), tick);
    }

    double ias = 0.0;
    double gas = 0.0;
    List<Object[]> recentOpens = new ArrayList<>(); // {Long tix, String txt}
    List<Object[]> recentReflections = new ArrayList<>(); // kept for fidelity; its penalty is 0
    List<Long> adoptTicks = new ArrayList<>(); // ticks of valid (confident, named) adoptions
    Long lastAdoptTick = null;
    String lastAdoptName = null;
    Set<List<String>> seenInvariants = new HashSet<>();

    for (int i = 0; i < events.size(); i++) {
      Event ev = events.get(i);
      String kind = ev.kind();
      long tix = tickIndex.getOrDefault(eid(i, ev), 0L);
      if (kind == null) {
        continue;
      }
      switch (kind) {
        case "identity_adopt" -> {
          String nm = adoptName(ev);
          if (!nm.isEmpty() && adoptConfidence(ev) >= ADOPT_MIN_CONFIDENCE) {
            adoptTicks.add(tix);
          }
          ias = iasAfterAdopt(ias, lastAdoptTick, lastAdoptName, nm, tix);
          lastAdoptTick = tix;
          lastAdoptName = nm;
        }
        case "commitment_open" -> {
          String txt = openText(ev);
          if (!txt.isEmpty()) {
            boolean novel = true;
            for (Object[] past : recentOpens) {
              if (txt.equals(past[1]) && tix - (Long) past[0] <= OPEN_NOVEL_WINDOW_TICKS) {
                novel = false;
                break;
              }
            }
            if (novel) {
              gas += GAS_PER_COMMIT_OPEN_NOVEL * OPEN_MULT;
            }
            recentOpens.add(new Object[] {tix, txt});
            recentOpens.removeIf(p -> tix - (Long) p[0] > OPEN_NOVEL_WINDOW_TICKS);
          }
        }
        case "commitment_close" -> gas += GAS_PER_COMMIT_CLOSE_CLEAN * CONS_MULT;
        case "reflection" -> {
          String txt = Py.norm(ev.content());
          if (!txt.isEmpty()) {
            if (isIdentityReflection(txt)) {
              ias += IAS_REFLECTION_IDENTITY_BONUS;
            }
            recentReflections.add(new Object[] {tix, txt});
            recentReflections.removeIf(p -> tix - (Long) p[0] > REPEAT_REFLECT_WINDOW_TICKS);
          }
        }
        case "invariant_violation" -> {
          if (seenInvariants.add(invariantKey(ev))) {
            ias -= INVARIANT_PENALTY;
            gas -= INVARIANT_PENALTY;
          }
        }
        case "autonomy_tick" -> {
          ias *= DECAY_PER_TICK;
          gas *= DECAY_PER_TICK;
          if (!adoptTicks.isEmpty()) {
            long dt = tix - adoptTicks.get(adoptTicks.size() - 1);
            if (dt > 0 && Math.floorMod(dt, STABLE_IDENTITY_WINDOW_TICKS) == 0) {
              ias += IAS_PER_STABLE_WINDOW;
            }
          }
        }
        default -> { } // commitment_expire: its penalty is 0; other kinds do not count
      }
    }
    return new double[] {ias, gas};
  }

  /**
   * IAS after an adoption named {@code nm} at tick {@code tix}, given the previous adoption's tick
   * and name (null before any): the flip-flop penalty for a new name within the stability window,
   * then the bonus for each whole window since the previous adoption.
   */
  static double iasAfterAdopt(double ias, Long lastAdoptTick, String lastAdoptName, String nm,
                              long tix) {
    if (lastAdoptTick != null && Py.truthy(lastAdoptName) && !nm.isEmpty()
        && tix - lastAdoptTick <= STABLE_IDENTITY_WINDOW_TICKS
        && !Py.norm(nm).equals(Py.norm(lastAdoptName))) {
      ias -= IAS_FLIP_FLOP_PENALTY;
    }
    if (lastAdoptTick != null) {
      long dt = tix - lastAdoptTick;
      if (dt >= STABLE_IDENTITY_WINDOW_TICKS) {
        long windows = Math.floorDiv(dt, STABLE_IDENTITY_WINDOW_TICKS);
        ias += (double) windows * IAS_PER_STABLE_WINDOW;
      }
    }
    return ias;
  }

  /** The original's event number: the id, or the 1-based position when the id is 0. */
  static long eid(int position, Event ev) {
    return ev.id() != 0 ? ev.id() : position + 1;
  }

  /** The final cross feedback, both terms from the pre-feedback values, then the only clip. */
  static double[] withFeedback(double ias, double gas) {
    double iasFeedback = (ias - 0.5) * FEEDBACK_IAS_TO_GAS_MULT;
    double gasFeedback = (gas - 0.5) * FEEDBACK_GAS_TO_IAS_MULT;
    return new double[] {clip(ias + gasFeedback), clip(gas + iasFeedback)};
  }

  /** Python's {@code max(0.0, min(v, 1.0))}, which also maps NaN to 0.0. */
  static double clip(double v) {
    double m = 1.0 < v ? 1.0 : v;
    return m > 0.0 ? m : 0.0;
  }

  /** {@code str(meta.sanitized or meta.name or content or "").strip()}. */
  static String adoptName(Event ev) {
    Map<String, Object> m = meta(ev);
    return Py.strip(Py.str(Py.or(m.get("sanitized"), m.get("name"), ev.content(), "")));
  }

  /**
   * {@code float(meta.get("confidence", 0.0))}, 0.0 where Python would raise. A missing key reads
   * as null, which gives 0.0 too.
   */
  static double adoptConfidence(Event ev) {
    return Py.floatOrZero(meta(ev).get("confidence"));
  }

  /** Normalised commitment text; the content (usually "Commitment opened: ...") wins. */
  static String openText(Event ev) {
    return Py.norm(Py.or(ev.content(), meta(ev).get("text")));
  }

  static boolean isIdentityReflection(String normalisedText) {
    return (normalisedText.contains("identity") && Py.len(normalisedText) > 20)
        || normalisedText.contains("my name");
  }

  /** {@code (str(code or ""), str(details.commitment_id) or "" when None)}. */
  static List<String> invariantKey(Event ev) {
    Map<String, Object> m = meta(ev);
    String code = Py.str(Py.or(m.get("code"), ""));
    Object details = Py.or(m.get("details"), Map.of());
    Object cid = details instanceof Map<?, ?> d ? d.get("commitment_id") : null;
    return List.of(code, cid == null ? "" : Py.str(cid));
  }

  private static Map<String, Object> meta(Event ev) {
    return ev.meta() == null ? Map.of() : ev.meta();
  }
}
