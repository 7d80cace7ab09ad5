package dev.pmm.metrics;

import static dev.pmm.support.PlainJson.checkpointCopy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.ledger.Event;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The incremental fold against the literal port on random ledgers. The fold performs the same
 * floating-point operations in the same order, so it must agree exactly, not just to 1e-12.
 */
class IasGasPropertyTest {
  private static final int SEQUENCES = 3000;

  @Test
  void foldOneByOneEqualsReferenceAtEveryCheckedPrefix() {
    for (int seed = 0; seed < SEQUENCES; seed++) {
      Random r = new Random(seed);
      List<Event> events = RandomLedger.events(r, r.nextInt(300));
      IasGasFold fold = new IasGasFold();
      long ticks = 0;
      for (int i = 0; i < events.size(); i++) {
        fold.apply(events.get(i));
        ticks += "autonomy_tick".equals(events.get(i).kind()) ? 1 : 0;
        // Every prefix of short ledgers, a sample of long ones: the reference is O(n) per call.
        if (i < 30 || r.nextInt(25) == 0 || i == events.size() - 1) {
          assertSame(events.subList(0, i + 1), fold,
              "seed " + seed + " prefix " + (i + 1));
          assertEquals(ticks, fold.ticks());
        }
      }
      if (events.isEmpty()) {
        assertSame(events, fold, "seed " + seed + " empty");
      }
    }
  }

  @Test
  void foldInBatchesThroughStateRoundTripsEqualsReference() {
    for (int seed = 0; seed < SEQUENCES; seed++) {
      Random r = new Random(1_000_000L + seed);
      List<Event> events = RandomLedger.events(r, r.nextInt(300));
      IasGasFold fold = new IasGasFold();
      int i = 0;
      while (i < events.size()) {
        int end = Math.min(events.size(), i + 1 + r.nextInt(40));
        events.subList(i, end).forEach(fold::apply);
        fold = IasGasFold.fromState(checkpointCopy(fold.toState()), "state");
        i = end;
      }
      assertSame(events, fold, "seed " + seed);
    }
  }

  @Test
  void onlyTheListedKindsChangeTheFold() {
    Random r = new Random(7);
    for (int n = 0; n < 2000; n++) {
      List<Event> events = RandomLedger.events(r, 60);
      IasGasFold fold = new IasGasFold();
      for (Event e : events) {
        Object before = fold.toState();
        fold.apply(e);
        if (!IasGasFold.affects(e.kind())) {
          assertEquals(before, fold.toState(), e.kind());
        }
      }
    }
    assertTrue(IasGasFold.affects("autonomy_tick"));
    assertTrue(!IasGasFold.affects("commitment_expire") && !IasGasFold.affects(null));
  }

  /** Clipped values hide most of the arithmetic, so the raw pre-feedback values count too. */
  private static void assertSame(List<Event> events, IasGasFold fold, String where) {
    double[] raw = IasGasReference.computeRaw(events);
    Map<String, Object> state = fold.toState();
    assertEquals(raw[0], (Double) state.get("ias_raw"), 0.0, where + " raw ias");
    assertEquals(raw[1], (Double) state.get("gas_raw"), 0.0, where + " raw gas");
    double[] expected = IasGasReference.withFeedback(raw[0], raw[1]);
    assertEquals(expected[0], fold.ias(), 1e-12, where + " ias");
    assertEquals(expected[1], fold.gas(), 1e-12, where + " gas");
    assertEquals(expected[0], fold.ias(), 0.0, where + " ias, exactly");
    assertEquals(expected[1], fold.gas(), 0.0, where + " gas, exactly");
  }
}
