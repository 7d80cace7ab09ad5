package dev.pmm.metrics;

import static dev.pmm.metrics.IasGasReference.ADOPT_MIN_CONFIDENCE;
import static dev.pmm.metrics.IasGasReference.CONS_MULT;
import static dev.pmm.metrics.IasGasReference.DECAY_PER_TICK;
import static dev.pmm.metrics.IasGasReference.GAS_PER_COMMIT_CLOSE_CLEAN;
import static dev.pmm.metrics.IasGasReference.GAS_PER_COMMIT_OPEN_NOVEL;
import static dev.pmm.metrics.IasGasReference.IAS_PER_STABLE_WINDOW;
import static dev.pmm.metrics.IasGasReference.IAS_REFLECTION_IDENTITY_BONUS;
import static dev.pmm.metrics.IasGasReference.INVARIANT_PENALTY;
import static dev.pmm.metrics.IasGasReference.OPEN_MULT;
import static dev.pmm.metrics.IasGasReference.OPEN_NOVEL_WINDOW_TICKS;
import static dev.pmm.metrics.IasGasReference.STABLE_IDENTITY_WINDOW_TICKS;

import dev.pmm.ledger.Event;
import dev.pmm.ledger.Py;
import dev.pmm.ledger.StateReader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link IasGasReference} as an incremental fold: O(1) amortised per event, same floating-point
 * operations in the same order, so the result is bit-identical for events in ledger order (unique,
 * increasing ids). Because ids are in order, an event's tick index is simply the number of ticks
 * seen so far, and the reference's first pass is not needed.
 *
 * <p>Not thread-safe: one owner applies events and reads.
 */
public final class IasGasFold {
  private static final Set<String> AFFECTING_KINDS = Set.of("identity_adopt", "commitment_open",
      "commitment_close", "reflection", "invariant_violation", "autonomy_tick");

  private double ias; // before the final cross feedback and clip
  private double gas;
  private long ticks;
  private Long lastValidAdoptTick; // the reference's adoptEvents[-1]: confident, named adoptions
  private Long lastAdoptTick; // any adoption, of any confidence
  private String lastAdoptName;
  private final ArrayDeque<RecentOpen> recentOpens = new ArrayDeque<>();
  // Newest tick per text in recentOpens, so the novelty check does not scan the window.
  private final Map<String, Long> newestOpenTick = new HashMap<>();
  // Insertion-ordered so that a state written and read back equals one folded straight through.
  private final Set<List<String>> seenInvariants = new LinkedHashSet<>();

  private record RecentOpen(long tick, String text) {}

  /** Whether an event of this kind can change ias, gas or ticks; other kinds are no-ops. */
  public static boolean affects(String kind) {
    return kind != null && AFFECTING_KINDS.contains(kind);
  }

  public void apply(Event ev) {
    if (!affects(ev.kind())) {
      return;
    }
    switch (ev.kind()) {
      case "identity_adopt" -> adopt(ev);
      case "commitment_open" -> open(ev);
      case "commitment_close" -> gas += GAS_PER_COMMIT_CLOSE_CLEAN * CONS_MULT;
      case "reflection" -> {
        // The reference also keeps a window of recent reflections, but only for a repeat
        // penalty that is 0, so nothing here needs it.
        if (IasGasReference.isIdentityReflection(Py.norm(ev.content()))) {
          ias += IAS_REFLECTION_IDENTITY_BONUS;
        }
      }
      case "invariant_violation" -> {
        if (seenInvariants.add(IasGasReference.invariantKey(ev))) {
          ias -= INVARIANT_PENALTY;
          gas -= INVARIANT_PENALTY;
        }
      }
      case "autonomy_tick" -> tick();
      default -> throw new AssertionError(ev.kind());
    }
  }

  private void adopt(Event ev) {
    long tix = ticks;
    String nm = IasGasReference.adoptName(ev);
    if (!nm.isEmpty() && IasGasReference.adoptConfidence(ev) >= ADOPT_MIN_CONFIDENCE) {
      lastValidAdoptTick = tix;
    }
    ias = IasGasReference.iasAfterAdopt(ias, lastAdoptTick, lastAdoptName, nm, tix);
    lastAdoptTick = tix;
    lastAdoptName = nm;
  }

  private void open(Event ev) {
    String txt = IasGasReference.openText(ev);
    if (txt.isEmpty()) {
      return;
    }
    long tix = ticks;
    Long seen = newestOpenTick.get(txt);
    if (seen == null || tix - seen > OPEN_NOVEL_WINDOW_TICKS) {
      gas += GAS_PER_COMMIT_OPEN_NOVEL * OPEN_MULT;
    }
    recentOpens.addLast(new RecentOpen(tix, txt));
    newestOpenTick.put(txt, tix);
    // Like the reference, prune only when an open is added; ticks never decrease, so the
    // expired entries are at the front.
    while (tix - recentOpens.peekFirst().tick() > OPEN_NOVEL_WINDOW_TICKS) {
      RecentOpen old = recentOpens.removeFirst();
      newestOpenTick.remove(old.text(), old.tick());
    }
  }

  private void tick() {
    ticks++;
    ias *= DECAY_PER_TICK;
    gas *= DECAY_PER_TICK;
    if (lastValidAdoptTick != null) {
      long dt = ticks - lastValidAdoptTick;
      if (dt > 0 && Math.floorMod(dt, STABLE_IDENTITY_WINDOW_TICKS) == 0) {
        ias += IAS_PER_STABLE_WINDOW;
      }
    }
  }

  /** IAS as the original reports it: cross feedback from GAS applied, clipped to [0, 1]. */
  public double ias() {
    return IasGasReference.withFeedback(ias, gas)[0];
  }

  public double gas() {
    return IasGasReference.withFeedback(ias, gas)[1];
  }

  /** Number of autonomy_tick events folded. */
  public long ticks() {
    return ticks;
  }

  /** The whole fold state as plain JSON values (see {@link MetricsState#toState()}). */
  Map<String, Object> toState() {
    Map<String, Object> s = new LinkedHashMap<>();
    // "raw": before the final feedback and clip, which are applied on every read
    s.put("ias_raw", ias);
    s.put("gas_raw", gas);
    s.put("ticks", ticks);
    s.put("last_valid_adopt_tick", lastValidAdoptTick);
    s.put("last_adopt_tick", lastAdoptTick);
    s.put("last_adopt_name", lastAdoptName);
    List<Object> opens = new ArrayList<>();
    for (RecentOpen o : recentOpens) {
      opens.add(new ArrayList<>(List.of(o.tick(), o.text())));
    }
    s.put("recent_opens", opens);
    List<Object> invariants = new ArrayList<>();
    for (List<String> key : seenInvariants) {
      invariants.add(new ArrayList<>(key));
    }
    s.put("seen_invariants", invariants);
    return s;
  }

  static IasGasFold fromState(Object state, String path) {
    StateReader r = StateReader.of(state, path).object("ias_raw",
        "gas_raw", "ticks", "last_valid_adopt_tick", "last_adopt_tick", "last_adopt_name",
        "recent_opens", "seen_invariants");
    IasGasFold f = new IasGasFold();
    f.ias = r.field("ias_raw").finiteNumber();
    f.gas = r.field("gas_raw").finiteNumber();
    f.ticks = r.field("ticks").count();
    f.lastValidAdoptTick = r.field("last_valid_adopt_tick").orNull(t -> tickNumber(t, f.ticks));
    f.lastAdoptTick = r.field("last_adopt_tick").orNull(t -> tickNumber(t, f.ticks));
    f.lastAdoptName = r.field("last_adopt_name").orNull(StateReader::string);
    long previous = Long.MIN_VALUE;
    for (StateReader open : r.field("recent_opens").items()) {
      List<StateReader> pair = open.pair();
      long tick = tickNumber(pair.get(0), f.ticks);
      String text = pair.get(1).string();
      if (tick < previous || text.isEmpty()) {
        throw open.malformed("must hold non-empty texts in tick order");
      }
      previous = tick;
      f.recentOpens.addLast(new RecentOpen(tick, text));
      f.newestOpenTick.put(text, tick);
    }
    for (StateReader key : r.field("seen_invariants").items()) {
      List<StateReader> pair = key.pair();
      if (!f.seenInvariants.add(List.of(pair.get(0).string(), pair.get(1).string()))) {
        throw key.malformed("is a duplicate");
      }
    }
    return f;
  }

  /** A tick number: in [0, ticks]. */
  private static long tickNumber(StateReader value, long ticks) {
    long t = value.count();
    if (t > ticks) {
      throw value.malformed("must not exceed the tick count " + ticks + ", got " + t);
    }
    return t;
  }
}
