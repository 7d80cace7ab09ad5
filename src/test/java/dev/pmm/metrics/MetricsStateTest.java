package dev.pmm.metrics;

import static dev.pmm.support.PlainJson.assertPlainJson;
import static dev.pmm.support.PlainJson.checkpointCopy;
import static dev.pmm.support.PlainJson.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.ledger.Event;
import dev.pmm.ledger.Py;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** The cache's whole fold: checkpoint round trips, split folding, malformed states. */
class MetricsStateTest {

  private static MetricsState fold(List<Event> events) {
    MetricsState s = new MetricsState();
    events.forEach(s::apply);
    return s;
  }

  private static MetricsState roundTrip(MetricsState s) {
    return MetricsState.fromState(checkpointCopy(s.toState()));
  }

  private static List<Event> sampleLedger() {
    EventSeq seq = new EventSeq().adopt("Ava", 0.95).open("a").open("b").close()
        .invariant("E1", "c1").reflection("my name is Ava", 0.4, 0.3).stageUpdate("S1");
    for (int i = 0; i < 12; i++) {
      seq.tick(0.5 + i / 100.0, 0.36).open("task " + (i % 3));
    }
    return seq.list();
  }

  @Test
  void stateRoundTripsExactly() {
    MetricsState s = fold(sampleLedger());
    Map<String, Object> state = s.toState();
    assertEquals(1L, state.get("schema"));
    assertPlainJson(state, "state");
    MetricsState back = roundTrip(s);
    assertEquals(state, back.toState());
    assertEquals(s.metrics(), back.metrics());
    assertEquals(s.stageReading(), back.stageReading());
    assertEquals(s.recordedStage(), back.recordedStage());
    assertEquals(s.lastEventId(), back.lastEventId());
    assertEquals(s.eventsFolded(), back.eventsFolded());
    assertNotEquals(new MetricsState().toState(), state);
    assertEquals(new MetricsState().toState(), roundTrip(new MetricsState()).toState());
  }

  @Test
  void metricsHaveTheSnapshotShape() {
    MetricsState s = fold(sampleLedger());
    Map<String, Object> m = s.metrics();
    assertEquals(List.of("ias", "gas", "stage", "ticks"), new ArrayList<>(m.keySet()));
    assertEquals(IasGasReference.compute(sampleLedger())[0], (Double) m.get("ias"), 0.0);
    assertEquals(IasGasReference.compute(sampleLedger())[1], (Double) m.get("gas"), 0.0);
    assertEquals("S2", m.get("stage"));
    assertEquals(12L, m.get("ticks"));
    assertEquals(sampleLedger().size(), s.eventsFolded());
    assertEquals(sampleLedger().size(), s.lastEventId());
  }

  @Test
  void onlyAffectingKindsChangeTheMetrics() {
    Random r = new Random(3);
    MetricsState s = new MetricsState();
    for (Event e : RandomLedger.events(r, 3000)) {
      Map<String, Object> before = s.metrics();
      s.apply(e);
      if (!MetricsState.affects(e.kind())) {
        assertEquals(before, s.metrics(), e.kind());
      }
    }
    assertFalse(MetricsState.affects("stage_update"));
  }

  @Test
  void alreadyFoldedEventsAreIgnored() {
    List<Event> events = sampleLedger();
    MetricsState s = fold(events);
    Map<String, Object> before = s.toState();
    for (Event e : events) {
      assertFalse(s.apply(e));
    }
    assertEquals(before, s.toState());
    assertTrue(s.apply(Event.of(events.size() + 5, "autonomy_tick", "", meta())));
    assertEquals(events.size() + 5, s.lastEventId());
  }

  @Test
  void splitFoldingWithStateRoundTripsEqualsOneFold() {
    for (int seed = 0; seed < 2000; seed++) {
      Random r = new Random(seed);
      List<Event> events = RandomLedger.events(r, r.nextInt(250));
      MetricsState whole = fold(events);

      MetricsState pieces = new MetricsState();
      int i = 0;
      while (i < events.size()) {
        int end = Math.min(events.size(), i + 1 + r.nextInt(60));
        events.subList(i, end).forEach(pieces::apply);
        pieces = roundTrip(pieces);
        i = end;
      }
      assertEquals(whole.toState(), pieces.toState(), "seed " + seed);
      assertEquals(whole.metrics(), pieces.metrics(), "seed " + seed);
      assertEquals(naiveStage(events), whole.stageReading(), "seed " + seed);
      double[] reference = IasGasReference.compute(events);
      assertEquals(reference[0], whole.ias(), 0.0);
      assertEquals(reference[1], whole.gas(), 0.0);
    }
  }

  /** The original's infer_stage over a whole list: the window the tracker must reproduce. */
  private static StageReading naiveStage(List<Event> events) {
    List<double[]> ticks = new ArrayList<>();
    List<double[]> reflections = new ArrayList<>();
    for (Event e : events) {
      Object tel = e.meta().get("telemetry");
      if (!(tel instanceof Map<?, ?> t) || !t.containsKey("IAS") || !t.containsKey("GAS")) {
        continue;
      }
      Double ias = Py.toFloat(t.get("IAS"));
      Double gas = Py.toFloat(t.get("GAS"));
      if (ias == null || gas == null) {
        continue;
      }
      if (e.kind().equals("autonomy_tick")) {
        ticks.add(new double[] {ias, gas});
      } else if (e.kind().equals("reflection")) {
        reflections.add(new double[] {ias, gas});
      }
    }
    List<double[]> window = new ArrayList<>(ticks.subList(Math.max(0, ticks.size() - 10),
        ticks.size()));
    int fill = Math.min(10 - window.size(), reflections.size());
    window.addAll(reflections.subList(reflections.size() - fill, reflections.size()));
    double iasSum = 0.0;
    double gasSum = 0.0;
    for (double[] p : window) {
      iasSum += p[0];
      gasSum += p[1];
    }
    double iasMean = window.isEmpty() ? 0.0 : iasSum / window.size();
    double gasMean = window.isEmpty() ? 0.0 : gasSum / window.size();
    return new StageReading(StageTracker.bucket(iasMean, gasMean), iasMean, gasMean,
        window.size());
  }

  @Test
  void malformedStatesAreRejectedWithTheirPath() {
    Map<String, Object> good = checkpointCopy(fold(sampleLedger()).toState());
    MetricsState.fromState(good); // the base of every mutation below is valid

    assertRejected(null, "state is null");
    assertRejected(mutate(good, s -> s.remove("schema")), "state.schema must be 1, got null");
    assertRejected(mutate(good, s -> s.put("schema", 2L)), "state.schema must be 1, got 2");
    assertRejected(mutate(good, s -> s.put("schema", "1")), "state.schema");
    assertRejected(mutate(good, s -> s.put("schema", 1.0)), "state.schema");
    assertRejected(mutate(good, s -> s.remove("events_folded")), "exactly the keys");
    assertRejected(mutate(good, s -> s.put("extra", 1L)), "exactly the keys");
    assertRejected(mutate(good, s -> s.put("last_event_id", -1L)), "state.last_event_id");
    assertRejected(mutate(good, s -> s.put("events_folded", 2.5)), "state.events_folded");
    assertRejected(mutate(good, s -> s.put("ias_gas", List.of())),
        "state.ias_gas is not an object");
    assertRejected(mutate(good, s -> iasGas(s).put("ias_raw", "0.5")), "state.ias_gas.ias_raw");
    assertRejected(mutate(good, s -> iasGas(s).put("gas_raw", Double.NaN)),
        "state.ias_gas.gas_raw");
    assertRejected(mutate(good, s -> iasGas(s).put("ticks", 999L)), "exceeds state.events_folded");
    assertRejected(mutate(good, s -> iasGas(s).put("last_adopt_tick", 13L)),
        "state.ias_gas.last_adopt_tick must not exceed");
    assertRejected(mutate(good, s -> iasGas(s).put("last_adopt_name", 5L)),
        "state.ias_gas.last_adopt_name");
    assertRejected(mutate(good, s -> iasGas(s).put("recent_opens", "x")),
        "state.ias_gas.recent_opens is not a list");
    assertRejected(mutate(good, s -> iasGas(s).put("recent_opens", List.of(List.of(1L)))),
        "state.ias_gas.recent_opens[0] is not a list of two values");
    assertRejected(mutate(good, s -> iasGas(s).put("recent_opens",
        List.of(List.of(5L, "a"), List.of(4L, "b")))), "state.ias_gas.recent_opens[1]");
    assertRejected(mutate(good, s -> iasGas(s).put("recent_opens", List.of(List.of(1L, "")))),
        "state.ias_gas.recent_opens[0]");
    assertRejected(mutate(good, s -> iasGas(s).put("seen_invariants",
        List.of(List.of("E", ""), List.of("E", "")))), "state.ias_gas.seen_invariants[1]");
    assertRejected(mutate(good, s -> iasGas(s).put("seen_invariants", List.of(List.of("E", 1L)))),
        "state.ias_gas.seen_invariants[0][1] is not a string");
    List<Object> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(List.of(0.5, 0.5));
    }
    assertRejected(mutate(good, s -> stage(s).put("tick_pairs", eleven)),
        "state.stage.tick_pairs must hold at most 10");
    assertRejected(mutate(good, s -> stage(s).put("reflection_pairs",
        List.of(Arrays.asList(0.5, null)))), "state.stage.reflection_pairs[0][1] is not a number");
    assertRejected(mutate(good, s -> stage(s).put("recorded_stage", List.of("S1"))),
        "state.stage.recorded_stage is not a string");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> iasGas(Map<String, Object> state) {
    return (Map<String, Object>) state.get("ias_gas");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stage(Map<String, Object> state) {
    return (Map<String, Object>) state.get("stage");
  }

  private static Map<String, Object> mutate(Map<String, Object> state,
                                            Consumer<Map<String, Object>> change) {
    Map<String, Object> copy = checkpointCopy(state);
    change.accept(copy);
    return copy;
  }

  private static void assertRejected(Map<String, Object> state, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricsState.fromState(state));
    assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' should contain '"
        + message + "'");
  }
}
