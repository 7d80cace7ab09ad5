package dev.pmm.mind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The autonomy tick's decisions, as pure functions of cached state: whether to reflect, which
 * commitments expire, and how traits drift. After the original's cadence gate, TTL sweep and drift
 * rules (reference pmm-runtime.md §6.2, §7.2), reduced to the rules that change the mind.
 */
public final class TickRules {
  private TickRules() {}

  /** Reflection cooldown: at least this many turns and seconds since the last one, or a GAS jump. */
  public record Cadence(int minTurns, long minSeconds, double gasJump) {}

  /** The decision and, when there is none, why: "min_turns", "min_time". */
  public record ReflectDecision(boolean reflect, String reason) {}

  /**
   * @param secondsSinceReflection null when the mind has not reflected since this server started
   */
  public static ReflectDecision shouldReflect(Cadence cadence, int turnsSinceReflection, Long secondsSinceReflection,
                                              double gas, Double gasAtLastTick) {
    if (gasAtLastTick != null && gas - gasAtLastTick >= cadence.gasJump()) {
      return new ReflectDecision(true, "gas_jump");
    }
    if (turnsSinceReflection < cadence.minTurns()) {
      return new ReflectDecision(false, "min_turns");
    }
    if (secondsSinceReflection != null && secondsSinceReflection < cadence.minSeconds()) {
      return new ReflectDecision(false, "min_time");
    }
    return new ReflectDecision(true, "cadence");
  }

  /** Commitments open for more than {@code ttlTicks} ticks at tick {@code tick}. */
  public static List<MindContext.Commitment> expired(List<MindContext.Commitment> open, long tick, long ttlTicks) {
    List<MindContext.Commitment> out = new ArrayList<>();
    for (MindContext.Commitment c : open) {
      if (tick - c.openedTick() > ttlTicks) {
        out.add(c);
      }
    }
    return out;
  }

  public record TraitNudge(String trait, double delta, String reason) {}

  /** The original's DRIFT_MULT_BY_STAGE: openness, conscientiousness, neuroticism. */
  private static final Map<String, double[]> DRIFT_MULT = Map.of(
      "S0", new double[] {1.0, 1.0, 1.0},
      "S1", new double[] {1.25, 1.10, 1.0},
      "S2", new double[] {1.10, 1.25, 1.0},
      "S3", new double[] {1.0, 1.20, 0.80},
      "S4", new double[] {0.90, 1.10, 0.70});

  /**
   * The drift rules, scaled by the stage's multipliers: closing commitments makes the mind more
   * conscientious (+0.02 per tick with closes), letting them expire less so and more anxious
   * (-0.01 conscientiousness, +0.01 neuroticism), and reflecting more open (+0.01 openness).
   */
  public static List<TraitNudge> drift(String stage, long closedSinceLastTick, int expiredNow, boolean reflected) {
    double[] mult = DRIFT_MULT.getOrDefault(stage, DRIFT_MULT.get("S0"));
    List<TraitNudge> out = new ArrayList<>();
    if (closedSinceLastTick > 0) {
      out.add(new TraitNudge("conscientiousness", round(0.02 * mult[1]), "close_rate_up"));
    }
    if (expiredNow > 0) {
      out.add(new TraitNudge("conscientiousness", round(-0.01 * mult[1]), "commitments_expired"));
      out.add(new TraitNudge("neuroticism", round(0.01 * mult[2]), "commitments_expired"));
    }
    if (reflected) {
      out.add(new TraitNudge("openness", round(0.01 * mult[0]), "reflected"));
    }
    return out;
  }

  /** Deltas are stored rounded so the ledger reads 0.022, not 0.022000000000000002. */
  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
