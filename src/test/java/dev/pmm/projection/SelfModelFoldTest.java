package dev.pmm.projection;

import static dev.pmm.support.PlainJson.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.ledger.Event;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The non-strict fold, event by event: reference §3.1 and the §7 test vectors. */
class SelfModelFoldTest {

  // ------------------------------------------------------------------ reference vectors (§7)

  @Test
  void identityChangeSetsTheName() {
    assertEquals("Ava", fold(ev("identity_change", "", meta("name", "Ava"))).name());
  }

  @Test
  void closingOneOfTwoLeavesTheOther() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "c1", "text", "Do the thing")),
        ev("commitment_open", "", meta("cid", "c2", "text", "Write tests")),
        ev("commitment_close", "", meta("cid", "c1")));
    assertEquals(List.of("c2"), cids(m.open()));
    assertEquals("Write tests", m.open().get(0).text());
  }

  @Test
  void nonStrictFoldClampsOnlyToTheUnitInterval() {
    // strict mode with max_trait_delta 0.1 would give 0.6; only the non-strict fold is ported
    SelfModel m = fold(ev("trait_update", "", meta("trait", "C", "delta", 1.5)));
    assertEquals(1.0, m.traits().get("conscientiousness"));
  }

  @Test
  void lastAdoptWinsAndTraitsClamp() {
    SelfModel m = fold(
        ev("identity_adopt", "", meta("name", "First")),
        ev("identity_adopt", "", meta("name", "Second")),
        ev("trait_update", "", meta("trait", "openness", "delta", 0.6)),
        ev("trait_update", "", meta("trait", "openness", "delta", 0.6)),
        ev("trait_update", "", meta("trait", "N", "delta", -1.0)));
    assertEquals("Second", m.name());
    assertEquals(1.0, m.traits().get("openness"));
    assertEquals(0.0, m.traits().get("neuroticism"));
  }

  @Test
  void identityClearForgetsTheName() {
    assertNull(fold(ev("identity_adopt", "Ava", meta()), ev("identity_clear", "", meta())).name());
  }

  @Test
  void expireMovesTheCommitmentToExpired() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "c1", "text", "Ship it")),
        ev("commitment_open", "", meta("cid", "c2", "text", "Test it")),
        ev("commitment_expire", "", meta("cid", "c1", "reason", "ttl")),
        ev("commitment_expire", "", meta("cid", "c2")));
    assertTrue(m.open().isEmpty());
    assertEquals(List.of(new ExpiredCommitment("c1", "Ship it", 3, "ttl"),
        new ExpiredCommitment("c2", "Test it", 4, "timeout")), m.expired());
    assertEquals(2, m.expiredCount());
  }

  @Test
  void multiDeltaAppliesEachTraitInOrder() {
    SelfModel m = fold(ev("trait_update", "", meta("delta", meta("o", 0.1, "C", -0.2, "x", 0.3))));
    assertEquals(0.5 + 0.1, m.traits().get("openness"));
    assertEquals(0.5 - 0.2, m.traits().get("conscientiousness"));
    assertEquals(0.5, m.traits().get("extraversion"));
  }

  @Test
  void snoozeSetsSnoozedUntil() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("commitment_snooze", "", meta("cid", "c1", "until_tick", 100L)));
    assertEquals(100L, m.open().get(0).snoozedUntil());
  }

  @Test
  void traitArithmeticIsPlainDoubleAddition() {
    SelfModel m = fold(
        ev("trait_update", "", meta("trait", "o", "delta", 0.02)),
        ev("trait_update", "", meta("trait", "c", "delta", -0.01)));
    assertEquals(0.52, m.traits().get("openness"));
    assertEquals(0.49, m.traits().get("conscientiousness"));
  }

  @Test
  void initialModel() {
    SelfModel m = new SelfModel();
    assertNull(m.name());
    assertEquals(SelfModel.TRAITS, List.copyOf(m.traits().keySet()));
    m.traits().values().forEach(v -> assertEquals(0.5, v));
    assertTrue(m.open().isEmpty() && m.expired().isEmpty());
    assertEquals(0, m.eventsFolded() + m.lastEventId() + m.ticks() + m.closedCount());
  }

  // ------------------------------------------------------------------------------ identity

  static Stream<Arguments> nameCases() {
    Object before = "Ava";
    return Stream.of(
        Arguments.of("adopt strips", adopt(meta("name", " Bob\n")), "Bob"),
        Arguments.of("adopt strips Python whitespace (NBSP)", adopt(meta("name", "\u00a0Bob\u3000")), "Bob"),
        Arguments.of("whitespace-only adopt clears", adopt(meta("name", "   ")), null),
        Arguments.of("empty meta.name falls through to content", at("identity_adopt", "Bob", meta("name", "")), "Bob"),
        Arguments.of("no name and no content: ignored", at("identity_adopt", "", meta("name", "")), before),
        Arguments.of("null content: ignored", at("identity_adopt", null, meta()), before),
        Arguments.of("non-string name ignored, content unused", at("identity_adopt", "Bob", meta("name", 5L)), before),
        Arguments.of("change parses content", at("identity_change", "Name changed to: Bob", meta()), "Bob"),
        Arguments.of("change prefix is case-insensitive", at("identity_change", "  NAME CHANGED TO:\tBob ", meta()), "Bob"),
        Arguments.of("change with empty remainder: ignored", at("identity_change", "name changed to:  ", meta()), before),
        Arguments.of("change other content: ignored", at("identity_change", "Name is now Bob", meta()), before),
        Arguments.of("change empty meta.name uses content", at("identity_change", "name Changed to: Bob", meta("name", "")), "Bob"),
        Arguments.of("change takes any truthy meta.name", at("identity_change", "", meta("name", 42L)), 42L),
        Arguments.of("change does not strip meta.name", at("identity_change", "", meta("name", " Bob ")), " Bob "),
        Arguments.of("clear", at("identity_clear", "", meta()), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nameCases")
  void name(String why, Event event, Object expected) {
    SelfModel m = fold(adopt(meta("name", "Ava")));
    m.apply(event);
    assertEquals(expected, m.name());
  }

  // -------------------------------------------------------------------------------- traits

  static Stream<Arguments> opennessCases() {
    return Stream.of(
        Arguments.of("string delta", meta("trait", "o", "delta", "0.1"), 0.5 + 0.1),
        Arguments.of("trait is stripped and lower-cased", meta("trait", " Openness ", "delta", 0.1), 0.5 + 0.1),
        Arguments.of("Python float text", meta("trait", "o", "delta", " +1_0e-2 "), 0.5 + 0.1),
        Arguments.of("underscores between digits", meta("trait", "o", "delta", "0.0_5"), 0.5 + 0.05),
        Arguments.of("Unicode digits", meta("trait", "o", "delta", "\u0660.\u0661"), 0.5 + 0.1),
        Arguments.of("NaN text ends as 1.0", meta("trait", "o", "delta", "nan"), 1.0),
        Arguments.of("NaN ends as 1.0", meta("trait", "o", "delta", Double.NaN), 1.0),
        Arguments.of("-infinity text", meta("trait", "o", "delta", "-Infinity"), 0.0),
        Arguments.of("boolean delta is 1.0", meta("trait", "o", "delta", true), 1.0),
        Arguments.of("integer delta", meta("trait", "o", "delta", -1L), 0.0),
        Arguments.of("bad text is 0.0", meta("trait", "o", "delta", "abc"), 0.5),
        Arguments.of("Java-only float syntax is 0.0", meta("trait", "o", "delta", "1d"), 0.5),
        Arguments.of("hex is 0.0", meta("trait", "o", "delta", "0x1p-3"), 0.5),
        Arguments.of("double underscore is 0.0", meta("trait", "o", "delta", "0.1__0"), 0.5),
        Arguments.of("int too big for a float is 0.0", meta("trait", "o", "delta", BigInteger.TEN.pow(400)), 0.5),
        Arguments.of("missing delta is 0.0", meta("trait", "o"), 0.5),
        Arguments.of("dict delta with a trait is 0.0", meta("trait", "o", "delta", meta("o", 0.1)), 0.5),
        Arguments.of("unknown trait skipped", meta("trait", "x", "delta", 0.1), 0.5),
        Arguments.of("numeric trait never matches", meta("trait", 5L, "delta", 0.1), 0.5),
        Arguments.of("blank trait selects the multi schema", meta("trait", "  ", "delta", meta("O", 0.1)), 0.5 + 0.1),
        Arguments.of("multi keys are not stripped", meta("delta", meta(" o", 0.1)), 0.5),
        Arguments.of("multi bad value is 0.0", meta("delta", meta("o", List.of(1L))), 0.5),
        Arguments.of("changes schema ignored", meta("changes", meta("o", 0.1)), 0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("opennessCases")
  void openness(String why, Map<String, Object> meta, double expected) {
    SelfModel m = fold(ev("trait_update", "", meta));
    assertEquals(expected, m.traits().get("openness"));
    for (String other : SelfModel.TRAITS.subList(1, 5)) {
      assertEquals(0.5, m.traits().get(other), other);
    }
  }

  // --------------------------------------------------------------------------- commitments

  @Test
  void openNeedsATruthyHashableCidAndAText() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "a")),
        ev("commitment_open", "", meta("cid", "b", "text", null)),
        ev("commitment_open", "", meta("cid", "", "text", "t")),
        ev("commitment_open", "", meta("cid", 0L, "text", "t")),
        ev("commitment_open", "", meta("cid", List.of("x"), "text", "t")),
        ev("commitment_open", "", meta("cid", "c", "text", "")));
    assertEquals(List.of("c"), cids(m.open()));
  }

  @Test
  void openRecordsMetaEventAndTick() {
    Map<String, Object> meta = meta("cid", "c1", "text", "t", "source", "reflection");
    SelfModel m = fold(ev("autonomy_tick", "", meta()), ev("autonomy_tick", "", meta()),
        ev("commitment_open", "", meta));
    assertEquals(new OpenCommitment("c1", "t", 3, 2, null, meta), m.open().get(0));
    assertEquals(2, m.ticks());
  }

  @Test
  void closeOrExpireOfAnUnknownCidIsIgnored() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("commitment_close", "", meta("cid", "nope")),
        ev("commitment_expire", "", meta("cid", "nope")),
        ev("commitment_close", "", meta()),
        ev("commitment_snooze", "", meta("cid", "nope", "until_tick", 5L)));
    assertEquals(List.of("c1"), cids(m.open()));
    assertEquals(0, m.closedCount() + m.expiredCount() + m.closesWithoutEvidence());
    assertTrue(m.expired().isEmpty());
  }

  @Test
  void reopenInPlaceKeepsThePositionAndReopenAfterCloseGoesLast() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "a", "text", "a1")),
        ev("commitment_open", "", meta("cid", "b", "text", "b1")),
        ev("commitment_snooze", "", meta("cid", "a", "until_tick", 9L)),
        ev("commitment_open", "", meta("cid", "a", "text", "a2")));
    assertEquals(List.of("a", "b"), cids(m.open()));
    assertEquals(new OpenCommitment("a", "a2", 4, 0, null, m.open().get(0).meta()), m.open().get(0));

    m.apply(ev("commitment_close", "", meta("cid", "a")));
    m.apply(ev("commitment_open", "", meta("cid", "a", "text", "a3")));
    assertEquals(List.of("b", "a"), cids(m.open()));
    assertEquals("a3", m.open().get(1).text());
    assertEquals(1, m.closedCount());
  }

  @Test
  void stringAndNumberCidsAreDifferentButEqualNumbersAreOne() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "5", "text", "string five")),
        ev("commitment_open", "", meta("cid", 5L, "text", "number five")),
        ev("commitment_open", "", meta("cid", 1L, "text", "one")),
        ev("commitment_open", "", meta("cid", true, "text", "true is 1 as a dict key")));
    assertEquals(List.of("5", 5L, 1L), cids(m.open()));
    assertEquals("true is 1 as a dict key", m.open().get(2).text());

    m.apply(ev("commitment_close", "", meta("cid", 5.0)));
    assertEquals(List.of("5", 1L), cids(m.open()));

    m.apply(ev("commitment_open", "", meta("cid", BigInteger.TWO.pow(64), "text", "big")));
    m.apply(ev("commitment_close", "", meta("cid", 0x1p64)));
    assertEquals(List.of("5", 1L), cids(m.open()));
  }

  static Stream<Arguments> evidenceCases() {
    return Stream.of(
        Arguments.of("no evidence", List.of(), 1L),
        Arguments.of("evidence defaults to done", List.of(meta("cid", "c1")), 0L),
        Arguments.of("evidence type is stripped and lower-cased", List.of(meta("cid", "c1", "evidence_type", " DONE ")), 0L),
        Arguments.of("other evidence types do not count", List.of(meta("cid", "c1", "evidence_type", "partial")), 1L),
        Arguments.of("non-string type: event ignored", List.of(meta("cid", "c1", "evidence_type", 5L)), 1L),
        Arguments.of("evidence for another cid", List.of(meta("cid", "c2")), 1L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evidenceCases")
  void closesWithoutEvidence(String why, List<Map<String, Object>> evidence, long expected) {
    SelfModel m = fold(ev("commitment_open", "", meta("cid", "c1", "text", "t")));
    evidence.forEach(e -> m.apply(ev("evidence_candidate", "", e)));
    m.apply(ev("commitment_close", "", meta("cid", "c1")));
    assertEquals(expected, m.closesWithoutEvidence());
    assertEquals(1, m.closedCount());
  }

  @Test
  void evidenceIsUsedUpByTheCloseOrExpire() {
    SelfModel m = fold(
        ev("evidence_candidate", "", meta("cid", "c1")),
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("commitment_close", "", meta("cid", "c1")),
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("commitment_close", "", meta("cid", "c1")),
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("evidence_candidate", "", meta("cid", "c1")),
        ev("commitment_expire", "", meta("cid", "c1")),
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("commitment_close", "", meta("cid", "c1")));
    assertEquals(3, m.closedCount());
    assertEquals(2, m.closesWithoutEvidence());
    assertEquals(List.of(), m.toState().get("done_evidence"));
  }

  @Test
  void expireReasonAndReExpiry() {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "a", "text", "a1")),
        ev("commitment_expire", "", meta("cid", "a", "reason", "")),
        ev("commitment_open", "", meta("cid", "b", "text", "b1")),
        ev("commitment_expire", "", meta("cid", "b", "reason", 3L)),
        ev("commitment_open", "", meta("cid", "a", "text", "a2")),
        ev("commitment_expire", "", meta("cid", "a", "reason", "ttl")));
    // a re-expired cid keeps its first position, like a Python dict
    assertEquals(List.of(new ExpiredCommitment("a", "a2", 6, "ttl"),
        new ExpiredCommitment("b", "b1", 4, 3L)), m.expired());
    assertEquals(3, m.expiredCount());
  }

  @Test
  void expiredLimitKeepsTheNewest() {
    SelfModel m = new SelfModel(2);
    for (String cid : List.of("a", "b", "c")) {
      m.apply(ev("commitment_open", "", meta("cid", cid, "text", cid)));
    }
    for (String cid : List.of("a", "b", "c")) {
      m.apply(ev("commitment_expire", "", meta("cid", cid)));
    }
    assertEquals(List.of("b", "c"), cids(m.expired()));
    assertEquals(3, m.expiredCount());

    SelfModel none = new SelfModel(0);
    none.apply(ev("commitment_open", "", meta("cid", "a", "text", "a")));
    none.apply(ev("commitment_expire", "", meta("cid", "a")));
    assertTrue(none.expired().isEmpty() && none.open().isEmpty());
    assertEquals(1, none.expiredCount());
  }

  static Stream<Arguments> snoozeCases() {
    return Stream.of(
        Arguments.of(42L, 42L), Arguments.of(" 4_2 ", 42L), Arguments.of("4.2", 0L),
        Arguments.of("x", 0L), Arguments.of(null, 0L), Arguments.of(1.9, 1L), Arguments.of(-1.9, -1L),
        Arguments.of(Double.NaN, 0L), Arguments.of(Double.POSITIVE_INFINITY, 0L),
        Arguments.of(true, 1L), Arguments.of(List.of(1L), 0L),
        Arguments.of(BigInteger.TEN.pow(30), Long.MAX_VALUE));
  }

  @ParameterizedTest(name = "until_tick {0} -> {1}")
  @MethodSource("snoozeCases")
  void snoozeConvertsLikePythonInt(Object until, long expected) {
    SelfModel m = fold(
        ev("commitment_open", "", meta("cid", "c1", "text", "t")),
        ev("commitment_snooze", "", meta("cid", "c1", "until_tick", until)));
    assertEquals(expected, m.open().get(0).snoozedUntil());
  }

  // ------------------------------------------------------------------------------ counters

  @Test
  void everyEventIsCountedWhateverItsKind() {
    SelfModel m = fold(
        ev("user_message", "hi", meta()),
        ev(null, null, null),
        ev("autonomy_tick", "", meta()),
        ev("commitment_update", "", meta("cid", "c1", "text", "ignored")));
    assertEquals(4, m.eventsFolded());
    assertEquals(4, m.lastEventId());
    assertEquals(1, m.ticks());
    assertTrue(m.open().isEmpty());
  }

  @Test
  void foldAllEqualsApplyingOneByOne() {
    List<Event> events = List.of(
        ev("identity_adopt", "Ava", meta()),
        ev("commitment_open", "", meta("cid", "c1", "text", "t")));
    SelfModel byHand = new SelfModel();
    events.forEach(byHand::apply);
    assertEquals(byHand.toState(), SelfModel.foldAll(events).toState());
  }

  // ------------------------------------------------------------------------------- helpers

  private long nextId = 1;

  private Event ev(String kind, String content, Map<String, Object> meta) {
    return Event.of(nextId++, kind, content, meta);
  }

  private SelfModel fold(Event... events) {
    return SelfModel.foldAll(Arrays.asList(events));
  }

  // static so parameter sources can build events; ids there do not matter
  private static Event adopt(Map<String, Object> meta) {
    return at("identity_adopt", "", meta);
  }

  private static Event at(String kind, String content, Map<String, Object> meta) {
    return Event.of(100, kind, content, meta);
  }

  private static List<Object> cids(List<?> commitments) {
    List<Object> out = new ArrayList<>();
    for (Object c : commitments) {
      out.add(c instanceof OpenCommitment o ? o.cid() : ((ExpiredCommitment) c).cid());
    }
    return out;
  }
}
