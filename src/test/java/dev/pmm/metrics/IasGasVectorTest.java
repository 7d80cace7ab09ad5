package dev.pmm.metrics;

import static dev.pmm.support.PlainJson.checkpointCopy;
import static dev.pmm.support.PlainJson.meta;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.ledger.Event;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference's §4.1 test vectors and the facts §7's test_metrics_cache pins. */
class IasGasVectorTest {
  private static final double EPS = 1e-12;

  static Stream<Arguments> vectors() {
    EventSeq tenOpenCloseTick = new EventSeq();
    for (int i = 0; i < 10; i++) {
      tenOpenCloseTick.open("task " + i).close().ticks(1);
    }
    return Stream.of(
        Arguments.of("empty", List.of(), 0.0, 0.0),
        Arguments.of("adopt + 10 ticks",
            new EventSeq().adopt("Bot", 0.95).ticks(10).list(), 0.03492507496250938, 0.0),
        Arguments.of("context-builder ledger", new EventSeq()
            .add("identity_adopt", "Persistent", meta("name", "Persistent"))
            .add("trait_update", "", meta("trait", "openness", "delta", 0.14))
            .add("commitment_open", "Maintain basic conversational responsiveness",
                meta("cid", "c1", "text", "Maintain basic conversational responsiveness"))
            .ticks(1)
            .reflection("Observation: the conversation is steady.")
            .list(), 0.0, 0.01996500000000001),
        Arguments.of("dead trait multipliers", new EventSeq()
            .add("trait_update", "", meta("trait", "openness", "delta", 0.4))
            .add("trait_update", "", meta("trait", "conscientiousness", "delta", 0.4))
            .add("commitment_open", "x", meta("cid", "c1", "text", "x"))
            .add("commitment_close", "", meta("cid", "c1"))
            .list(), 0.0, 0.14),
        Arguments.of("10 x (open, close, tick)", tenOpenCloseTick.list(), 0.06973914148339923, 1.0),
        Arguments.of("flip-flop then 12 ticks", new EventSeq()
            .adopt("A", 0.95).ticks(1).adopt("B", 0.95).ticks(12).list(), 0.0, 0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void referenceMatchesVector(String name, List<Event> events, double ias, double gas) {
    double[] r = IasGasReference.compute(events);
    assertEquals(ias, r[0], EPS, "ias");
    assertEquals(gas, r[1], EPS, "gas");
    // Same operations in the same order as Python: the vectors match to the last bit.
    assertArrayEquals(new double[] {ias, gas}, r, 0.0, "bit-identical to Python");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void foldMatchesVectorOneByOne(String name, List<Event> events, double ias, double gas) {
    double[] r = EventSeq.fold(events);
    assertEquals(ias, r[0], EPS, "ias");
    assertEquals(gas, r[1], EPS, "gas");
    assertArrayEquals(IasGasReference.compute(events), r, 0.0, "bit-identical to the reference");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void foldMatchesVectorInBatches(String name, List<Event> events, double ias, double gas) {
    Random random = new Random(name.hashCode());
    for (int run = 0; run < 20; run++) {
      IasGasFold fold = new IasGasFold();
      int i = 0;
      while (i < events.size()) {
        int end = Math.min(events.size(), i + 1 + random.nextInt(5));
        events.subList(i, end).forEach(fold::apply);
        fold.ias(); // reading between batches must not disturb the fold
        fold = IasGasFold.fromState(checkpointCopy(fold.toState()), "state");
        i = end;
      }
      assertEquals(ias, fold.ias(), EPS, "ias");
      assertEquals(gas, fold.gas(), EPS, "gas");
    }
  }

  @Test
  void referenceKeysTickIndexByIdWithPositionFallback() {
    // Id 0 falls back to the 1-based position, so a list without ids computes as usual.
    List<Event> numbered = new EventSeq().adopt("Bot", 0.95).ticks(10).list();
    List<Event> unnumbered = numbered.stream()
        .map(e -> Event.of(0, e.kind(), e.content(), e.meta())).toList();
    assertArrayEquals(IasGasReference.compute(numbered), IasGasReference.compute(unnumbered), 0.0);

    // A repeated id shares one tick-index entry, the last one written (QUIRK of the original):
    // the adoption below is placed at tick 6, after every tick, so no stability bonus accrues.
    // The fold assumes ledger order with unique ids and places it at tick 0 instead.
    List<Event> duplicate = new ArrayList<>();
    duplicate.add(Event.of(7, "identity_adopt", "Ava", meta("name", "Ava", "confidence", 0.95)));
    for (long id = 1; id <= 5; id++) {
      duplicate.add(Event.of(id, "autonomy_tick", "", meta()));
    }
    duplicate.add(Event.of(7, "autonomy_tick", "", meta()));
    assertArrayEquals(new double[] {0.0, 0.0}, IasGasReference.computeRaw(duplicate));
    assertEquals(0.03 * 0.9995, EventSeq.raw(duplicate)[0], EPS);
  }

  @Test
  void emptyLedgerIsZeroZero() {
    MetricsState state = new MetricsState();
    assertEquals(0.0, state.ias());
    assertEquals(0.0, state.gas());
    assertEquals(0, state.eventsFolded());
    assertEquals(0, state.ticks());
  }

  @Test
  void adoptionPlusTenTicksGivesPositiveIas() {
    assertTrue(EventSeq.fold(new EventSeq().adopt("Echo", 0.9).ticks(10).list())[0] > 0);
    // Below the confidence gate there is no stability bonus at all.
    assertEquals(0.0, EventSeq.fold(new EventSeq().adopt("Echo", 0.89).ticks(10).list())[0]);
  }

  @Test
  void duplicateOpenGainsNothingWithinTwentyTicksButDoesAfter() {
    EventSeq within = new EventSeq().open("write tests").ticks(20);
    double before = EventSeq.raw(within.list())[1];
    assertEquals(before, EventSeq.raw(within.open("write tests").list())[1]);
    assertEquals(before, EventSeq.raw(within
        .add("commitment_open", "  COMMITMENT OPENED: Write Tests ", meta()).list())[1],
        "novelty compares stripped, lower-cased content");

    EventSeq after = new EventSeq().open("write tests").ticks(21);
    double late = EventSeq.raw(after.list())[1];
    assertEquals(late + 0.07, EventSeq.raw(after.open("write tests").list())[1], 0.0);
  }

  @Test
  void noveltyComparesContentNotMetaText() {
    // Same meta.text, different content: novel. Same content, different meta.text: not novel.
    List<Event> differentContent = new EventSeq()
        .add("commitment_open", "a", meta("text", "same"))
        .add("commitment_open", "b", meta("text", "same")).list();
    assertEquals(0.14, EventSeq.raw(differentContent)[1], EPS);
    List<Event> sameContent = new EventSeq()
        .add("commitment_open", "same", meta("text", "a"))
        .add("commitment_open", "same", meta("text", "b")).list();
    assertEquals(0.07, EventSeq.raw(sameContent)[1], EPS);
    // meta.text only counts when the content is empty; a non-string text counts as no text.
    List<Event> fallback = new EventSeq()
        .add("commitment_open", "", meta("text", "t"))
        .add("commitment_open", "", meta("text", 42L))
        .add("commitment_open", "", meta()).list();
    assertEquals(0.07, EventSeq.raw(fallback)[1], EPS);
  }

  @Test
  void bothScoresDecayPerTick() {
    List<Event> base = new EventSeq().open("x").close().list();
    for (int n : new int[] {1, 10, 100}) {
      double[] raw = EventSeq.raw(new EventSeq().open("x").close().ticks(n).list());
      assertEquals(0.19 * Math.pow(0.9995, n), raw[1], EPS);
      assertTrue(raw[1] < EventSeq.raw(base)[1]);
    }
    double[] few = EventSeq.fold(new EventSeq().open("x").close().ticks(10).list());
    double[] many = EventSeq.fold(new EventSeq().open("x").close().ticks(100).list());
    assertTrue(many[1] < few[1]);
  }

  @Test
  void flipFlopWithinFiveTicksIsPenalised() {
    double[] steady = EventSeq.raw(new EventSeq().adopt("Ava", 0.95).ticks(5)
        .adopt(" ava ", 0.95).list());
    double[] flip = EventSeq.raw(new EventSeq().adopt("Ava", 0.95).ticks(5)
        .adopt("Bea", 0.95).list());
    assertEquals(steady[0] - 0.08, flip[0], EPS);
    // Six ticks apart is outside the window: no penalty.
    double[] slow = EventSeq.raw(new EventSeq().adopt("Ava", 0.95).ticks(6)
        .adopt("Bea", 0.95).list());
    assertEquals(EventSeq.raw(new EventSeq().adopt("Ava", 0.95).ticks(6)
        .adopt("Ava", 0.95).list())[0], slow[0], EPS);
    // Low-confidence adoptions still count as the previous name (QUIRK kept).
    double[] lowConfidence = EventSeq.raw(new EventSeq().adopt("Ava", 0.1).ticks(1)
        .adopt("Bea", 0.1).list());
    assertEquals(-0.08, lowConfidence[0], EPS);
  }

  @Test
  void stabilityBonusIsCountedTwice() {
    // Ticks 5 and 10 after the adoption give +0.03 each; re-adopting at tick 10 adds
    // floor(10/5) * 0.03 on top, measured from the previous adoption.
    List<Event> events = new EventSeq().adopt("Ava", 0.95).ticks(10).adopt("Ava", 0.95).list();
    double expected = (0.03 * Math.pow(0.9995, 5) + 0.03) + 2 * 0.03;
    assertEquals(expected, EventSeq.raw(events)[0], EPS);
  }

  @Test
  void identityReflectionBonus() {
    assertEquals(0.01, EventSeq.raw(new EventSeq()
        .reflection("I keep thinking about my identity").list())[0], EPS);
    assertEquals(0.01, EventSeq.raw(new EventSeq().reflection("MY NAME").list())[0], EPS);
    assertEquals(0.0, EventSeq.raw(new EventSeq().reflection("identity matters").list())[0],
        "'identity' needs more than 20 characters");
    // Length is measured after stripping: 18 characters here.
    assertEquals(0.0, EventSeq.raw(new EventSeq()
        .reflection("   identity 123456789   ").list())[0]);
    assertEquals(0.01, EventSeq.raw(new EventSeq()
        .reflection("identity 1234567890ab").list())[0], EPS);
    // Length is counted in code points: 12 astral characters are 24 UTF-16 units.
    assertEquals(0.0, EventSeq.raw(new EventSeq()
        .reflection("identity" + "\uD83D\uDE00".repeat(12)).list())[0]);
    assertEquals(0.02, EventSeq.raw(new EventSeq().reflection("my name").reflection("my name")
        .list())[0], EPS, "repeats are not penalised (penalty is 0)");
  }

  @Test
  void invariantPenaltyOncePerUniqueKey() {
    double[] raw = EventSeq.raw(new EventSeq()
        .invariant("E1", "c1").invariant("E1", "c1")
        .invariant("E1", "c2")
        .invariant("E2", "c1")
        .list());
    assertEquals(-0.015, raw[0], EPS);
    assertEquals(-0.015, raw[1], EPS);
    // Keys use Python str(): 5 and "5" are the same commitment, null and missing are "".
    double[] str = EventSeq.raw(new EventSeq()
        .invariant("E", 5L).invariant("E", "5")
        .invariant("E", null)
        .add("invariant_violation", "", meta("code", "E"))
        .add("invariant_violation", "", meta("code", "E", "details", "not an object"))
        .invariant(null, "c").invariant("", "c")
        .list());
    assertEquals(-0.015, str[0], EPS);
  }

  @Test
  void everyCloseCounts() {
    assertEquals(0.36, EventSeq.raw(new EventSeq().close().close().close().list())[1], EPS);
    List<Event> expire = new EventSeq().add("commitment_expire", "", meta("cid", "c")).list();
    assertArrayEquals(new double[] {0.0, 0.0}, EventSeq.raw(expire));
  }

  @Test
  void negativesAreClippedOnlyAtTheEnd() {
    EventSeq seq = new EventSeq();
    for (int i = 0; i < 40; i++) {
      seq.invariant("E", "c" + i); // raw IAS and GAS reach -0.2
    }
    seq.adopt("Ava", 0.95).ticks(100);
    for (int i = 0; i < 4; i++) {
      seq.open("goal " + i).close();
    }
    List<Event> events = seq.list();

    // Straight arithmetic with no intermediate clip.
    double ias = -0.2;
    double gas = -0.2;
    for (int t = 1; t <= 100; t++) {
      ias *= 0.9995;
      gas *= 0.9995;
      if (t % 5 == 0) {
        ias += 0.03;
      }
    }
    for (int i = 0; i < 4; i++) {
      gas += 0.07;
      gas += 0.12;
    }
    double expectedIas = ias + (gas - 0.5) * 0.05;
    double expectedGas = gas + (ias - 0.5) * 0.1;
    double[] result = EventSeq.fold(events);
    assertEquals(expectedIas, result[0], EPS);
    assertEquals(expectedGas, result[1], EPS);
    assertArrayEquals(IasGasReference.compute(events), result, 0.0);
    // Clipping every step would have dropped the -0.2 and left GAS near 0.76 + feedback.
    assertTrue(result[1] < 0.6, "gas " + result[1]);
  }

  @Test
  void adoptionNameAndConfidenceFollowPython() {
    // sanitized wins over name, name over content; the name is stripped.
    List<Event> sanitized = new EventSeq()
        .add("identity_adopt", "Content", meta("sanitized", " Ava ", "name", "Bea",
            "confidence", 0.95))
        .ticks(1)
        .add("identity_adopt", "x", meta("name", "ava", "confidence", 0.95)).list();
    assertEquals(0.0, EventSeq.raw(sanitized)[0], "same name after strip and lower: no flip-flop");

    // Confidence as Python float(): strings, booleans and big ints convert; junk reads as 0.0.
    for (Object conf : new Object[] {"0.95", " 9.5e-1 ", true, 1L, BigInteger.ONE, "1_0"}) {
      List<Event> e = new EventSeq()
          .add("identity_adopt", "Ava", meta("name", "Ava", "confidence", conf)).ticks(5).list();
      assertEquals(0.03, EventSeq.raw(e)[0], EPS, "confidence " + conf);
    }
    for (Object conf : new Object[] {"high", null, List.of(1), "0.9.5", "nan", false}) {
      List<Event> e = new EventSeq()
          .add("identity_adopt", "Ava", meta("name", "Ava", "confidence", conf)).ticks(5).list();
      assertEquals(0.0, EventSeq.raw(e)[0], "confidence " + conf);
      assertArrayEquals(IasGasReference.compute(e), EventSeq.fold(e), 0.0);
    }

    // A whitespace-only name is no name: no valid adoption, no flip-flop.
    List<Event> blank = new EventSeq().adopt("Ava", 0.95).ticks(1)
        .add("identity_adopt", "   ", meta("name", "  ", "confidence", 0.95)).ticks(9).list();
    double[] blankRaw = EventSeq.raw(blank);
    assertTrue(blankRaw[0] > 0, "a blank adoption is not a valid one and does not flip-flop");
  }
}
