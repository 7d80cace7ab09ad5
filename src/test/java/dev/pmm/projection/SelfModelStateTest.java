package dev.pmm.projection;

import static dev.pmm.support.PlainJson.assertPlainJson;
import static dev.pmm.support.PlainJson.checkpointCopy;
import static dev.pmm.support.PlainJson.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pmm.ledger.Event;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checkpoints: toState/fromState round trips, fold splits, and rejection of bad states. */
class SelfModelStateTest {

  @Test
  void roundTripKeepsEverything() {
    SelfModel m = new SelfModel(3);
    long id = 1;
    m.apply(Event.of(id++, "autonomy_tick", "", meta()));
    for (Map<String, Object> meta : List.of(
        meta("cid", "c1", "text", "one", "extra", meta("nested", list(1L, 2.5, true))),
        meta("cid", 5L, "text", "five"), meta("cid", "e", "text", "expiring"))) {
      m.apply(Event.of(id++, "commitment_open", "", meta));
    }
    m.apply(Event.of(id++, "identity_change", "", meta("name", list("odd", "name"))));
    m.apply(Event.of(id++, "trait_update", "", meta("trait", "o", "delta", 0.02)));
    m.apply(Event.of(id++, "autonomy_tick", "", meta()));
    m.apply(Event.of(id++, "commitment_snooze", "", meta("cid", 5L, "until_tick", 7L)));
    m.apply(Event.of(id++, "evidence_candidate", "", meta("cid", "c1")));
    m.apply(Event.of(id++, "evidence_candidate", "", meta("cid", "never-opened")));
    m.apply(Event.of(id++, "commitment_expire", "", meta("cid", "e", "reason", "ttl")));
    m.apply(Event.of(id, "user_message", "hi", meta()));

    Map<String, Object> state = m.toState();
    assertPlainJson(state, "state");
    SelfModel back = SelfModel.fromState(checkpointCopy(state));
    assertEquals(state, back.toState());
    assertEquals(view(m), view(back));
    assertEquals(1, m.open().get(0).openedTick()); // the fields below are not all defaults
    assertEquals(7L, m.open().get(1).snoozedUntil());
    assertEquals(1, m.expired().size());
  }

  /** Everything the accessors show, so a field toState forgot cannot hide behind state equality. */
  private static List<Object> view(SelfModel m) {
    return Arrays.asList(m.name(), m.traits(), m.open(), m.expired(), m.expiredLimit(),
        m.closedCount(), m.expiredCount(), m.closesWithoutEvidence(), m.ticks(), m.eventsFolded(),
        m.lastEventId());
  }

  @Test
  void initialModelRoundTrips() {
    Map<String, Object> state = new SelfModel().toState();
    assertEquals(1L, state.get("schema"));
    assertEquals(state, SelfModel.fromState(checkpointCopy(state)).toState());
  }

  @Test
  void fromStateCopiesWhatItKeeps() {
    SelfModel m = new SelfModel();
    m.apply(Event.of(1, "commitment_open", "", meta("cid", "c1", "text", "t", "tags", list("a"))));
    Map<String, Object> state = checkpointCopy(m.toState());
    SelfModel back = SelfModel.fromState(state);
    Map<String, Object> before = back.toState();
    @SuppressWarnings("unchecked")
    Map<String, Object> openMeta =
        (Map<String, Object>) ((Map<String, Object>) ((List<?>) state.get("open")).get(0)).get("meta");
    @SuppressWarnings("unchecked")
    List<Object> tags = (List<Object>) openMeta.get("tags");
    tags.add("b");
    openMeta.put("text", "changed");
    assertEquals(before, back.toState());
  }

  // ------------------------------------------------------------------------ property test

  /** Folding in batches with a JSON-like checkpoint between them equals folding in one go. */
  @Test
  void splitFoldsEqualTheWholeFold() {
    Random random = new Random(20251126L);
    for (int run = 0; run < 2000; run++) {
      int limit = random.nextInt(4);
      List<Event> events = randomEvents(random, random.nextInt(80));
      SelfModel whole = new SelfModel(limit);
      events.forEach(whole::apply);

      SelfModel split = new SelfModel(limit);
      for (int i = 0; i < events.size(); i++) {
        if (random.nextInt(5) == 0) {
          Map<String, Object> state = split.toState();
          split = SelfModel.fromState(checkpointCopy(state));
          assertEquals(state, split.toState(), "round trip, run " + run);
        }
        split.apply(events.get(i));
      }
      assertEquals(view(whole), view(split), "run " + run);
      if (!whole.toState().equals(split.toState())) {
        fail("run " + run + " differs\nevents: " + events + "\nwhole: " + whole.toState()
            + "\nsplit: " + split.toState());
      }
      assertPlainJson(whole.toState(), "state");
    }
  }

  private static final List<String> KINDS = List.of("identity_change", "identity_adopt",
      "identity_clear", "trait_update", "commitment_open", "commitment_open", "commitment_open",
      "evidence_candidate", "commitment_close", "commitment_close", "commitment_expire",
      "commitment_expire", "commitment_snooze", "autonomy_tick", "user_message", "reflection",
      "commitment_update", "commitment_rebind", "");
  private static final List<Object> CIDS = List.of("c1", "5", 5L, 5.0, 1L, true,
      "", 0L, false, 1.5, Double.NaN, BigInteger.TWO.pow(64), list("x"), meta("k", "v"));
  private static final List<Object> VALUES = List.of("Ava", " Bob ", "   ", "", "Name changed to: Cy",
      "0.1", "-0.3", "nan", "inf", " 1_0e-2 ", "abc", "DONE", " done ", "partial", "ttl", "42",
      0L, 7L, -2L, 100L, 0.02, -0.05, 1.5, -1.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY,
      true, false, BigInteger.TEN.pow(30), list(), list(1L), meta(), meta("a", 1L));
  private static final List<String> TRAIT_KEYS =
      List.of("o", "C", " openness ", "Neuroticism", "x", "a", "e", "n", "");

  private static List<Event> randomEvents(Random random, int count) {
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String kind = random.nextInt(30) == 0 ? null : pick(random, KINDS);
      Map<String, Object> meta = random.nextInt(20) == 0 ? null : new LinkedHashMap<>();
      if (meta != null) {
        maybe(random, meta, "cid", random.nextBoolean() ? "c" + random.nextInt(3) : pick(random, CIDS));
        maybe(random, meta, "text", random.nextInt(6) == 0 ? pick(random, VALUES) : "text " + i);
        maybe(random, meta, "name", pick(random, VALUES));
        maybe(random, meta, "trait", random.nextBoolean() ? pick(random, TRAIT_KEYS) : pick(random, VALUES));
        maybe(random, meta, "delta", random.nextInt(3) == 0 ? randomDeltas(random) : pick(random, VALUES));
        maybe(random, meta, "evidence_type", random.nextBoolean() ? " Done " : pick(random, VALUES));
        maybe(random, meta, "reason", pick(random, VALUES));
        maybe(random, meta, "until_tick", pick(random, VALUES));
        maybe(random, meta, "changes", randomDeltas(random));
      }
      Object content = random.nextInt(10) == 0 ? null : pick(random, VALUES);
      events.add(Event.of(i + 1, kind, content instanceof String s ? s : "", meta));
    }
    return events;
  }

  private static Map<String, Object> randomDeltas(Random random) {
    Map<String, Object> deltas = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      deltas.put(pick(random, TRAIT_KEYS), pick(random, VALUES));
    }
    return deltas;
  }

  private static void maybe(Random random, Map<String, Object> meta, String key, Object value) {
    if (random.nextInt(3) != 0) {
      meta.put(key, value);
    }
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  // -------------------------------------------------------------------------- bad states

  static Stream<Arguments> badStates() {
    return Stream.<Object[]>of(
        bad("schema 2", s -> s.put("schema", 2L), "unknown projection state schema 2"),
        bad("schema as text", s -> s.put("schema", "1"), "schema is not an integer"),
        bad("schema missing", s -> s.remove("schema"), "state lacks \"schema\""),
        bad("unknown key", s -> s.put("stage", "S1"), "state has unknown key \"stage\""),
        bad("traits not an object", s -> s.put("traits", List.of()), "traits is not an object"),
        bad("trait missing", s -> traits(s).remove("openness"), "traits lacks \"openness\""),
        bad("trait as text", s -> traits(s).put("openness", "0.5"), "traits.openness is not a number"),
        bad("trait out of range", s -> traits(s).put("openness", 1.5), "traits.openness is outside [0, 1]"),
        bad("extra trait", s -> traits(s).put("grit", 0.5), "traits has unknown key \"grit\""),
        bad("negative counter", s -> s.put("ticks", -1L), "ticks is negative"),
        bad("counter as float", s -> s.put("closed_count", 1.0), "closed_count is not an integer"),
        bad("open not a list", s -> s.put("open", Map.of()), "open is not a list"),
        bad("open entry not an object", s -> open(s).set(0, "c1"), "open[0] is not an object"),
        bad("open entry without text", s -> openMeta(s).remove("text"), "open[0].meta has no text"),
        bad("open meta key not a string", s -> openEntry(s).put("meta", Map.of(1L, "x")),
            "open[0].meta has a key that is not a string"),
        bad("open cid unusable", s -> openEntry(s).put("cid", List.of("x")),
            "open[0].cid is not a usable commitment id"),
        bad("open cid falsy", s -> openEntry(s).put("cid", ""), "open[0].cid is not a usable commitment id"),
        bad("open cid repeated", s -> open(s).add(open(s).get(0)), "open[1].cid repeats commitment id c1"),
        bad("open entry lacks opened_tick", s -> openEntry(s).remove("opened_tick"),
            "open[0] lacks \"opened_tick\""),
        bad("snoozed_until as text", s -> openEntry(s).put("snoozed_until", "5"),
            "open[0].snoozed_until is not an integer"),
        bad("expired over the limit", s -> s.put("expired_limit", 0L),
            "expired holds 1 entries, over expired_limit"),
        bad("expired entry lacks reason", s -> expiredEntry(s).remove("reason"),
            "expired[0] lacks \"reason\""),
        bad("meta value not JSON", s -> openMeta(s).put("when", new Object()),
            "open[0].meta.when is not a JSON value"),
        bad("evidence repeated", s -> evidence(s).add("c1"), "done_evidence[1] is not a new commitment id"),
        bad("evidence unusable", s -> evidence(s).set(0, Map.of()), "done_evidence[0] is not a new commitment id"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStates")
  void malformedStatesAreRejectedSayingWhy(String why, Consumer<Map<String, Object>> damage,
                                            String message) {
    Map<String, Object> state = checkpointCopy(sample().toState());
    damage.accept(state);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SelfModel.fromState(state));
    assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
  }

  @Test
  void aNullStateIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> SelfModel.fromState(null));
  }

  private static Object[] bad(String why, Consumer<Map<String, Object>> damage, String message) {
    return new Object[] {why, damage, message};
  }

  private static SelfModel sample() {
    SelfModel m = new SelfModel();
    m.apply(Event.of(1, "commitment_open", "", meta("cid", "c1", "text", "t")));
    m.apply(Event.of(2, "commitment_open", "", meta("cid", "c2", "text", "u")));
    m.apply(Event.of(3, "commitment_expire", "", meta("cid", "c2")));
    m.apply(Event.of(4, "evidence_candidate", "", meta("cid", "c1")));
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> traits(Map<String, Object> s) {
    return (Map<String, Object>) s.get("traits");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> open(Map<String, Object> s) {
    return (List<Object>) s.get("open");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> openEntry(Map<String, Object> s) {
    return (Map<String, Object>) open(s).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> openMeta(Map<String, Object> s) {
    return (Map<String, Object>) openEntry(s).get("meta");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> expiredEntry(Map<String, Object> s) {
    return (Map<String, Object>) ((List<Object>) s.get("expired")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> evidence(Map<String, Object> s) {
    return (List<Object>) s.get("done_evidence");
  }

  // ------------------------------------------------------------------------------ JSON-ish

  /** A list as the JSON parser makes them. */
  static List<Object> list(Object... values) {
    return new ArrayList<>(Arrays.asList(values));
  }
}
