package dev.pmm.metrics;

import static dev.pmm.support.PlainJson.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.ledger.Event;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** §4.4 and §7's test_stage_tracker. */
class StageTrackerTest {

  private static StageTracker track(EventSeq seq) {
    StageTracker t = new StageTracker();
    seq.list().forEach(t::apply);
    return t;
  }

  /** What the original's tick does: raw bucket, record a stage_update when hysteresis allows. */
  private static boolean tickWouldRecord(StageTracker t) {
    StageReading r = t.infer();
    return StageTracker.withHysteresis(t.recordedStage(), r.stage(), r);
  }

  @Test
  void fewerThanThreeTelemetryPointsNeverRecord() {
    StageTracker t = track(new EventSeq().ticks(2, 0.9, 0.9));
    assertEquals(2, t.infer().count());
    assertEquals("S4", t.infer().stage());
    assertFalse(tickWouldRecord(t), "even with no stage recorded yet");
    // Ticks without telemetry add no points.
    assertFalse(tickWouldRecord(track(new EventSeq().ticks(2, 0.9, 0.9).ticks(5))));
    // A third point, here from a reflection, is enough.
    assertTrue(tickWouldRecord(track(new EventSeq().ticks(2, 0.9, 0.9)
        .reflection("r", 0.9, 0.9))));
  }

  @Test
  void s1ToS2WithTenTicksAtPoint55And40() {
    StageTracker t = track(new EventSeq().stageUpdate("S1").ticks(10, 0.55, 0.40));
    StageReading r = t.infer();
    assertEquals("S2", r.stage());
    assertEquals(10, r.count());
    assertEquals(0.55, r.iasMean(), 1e-12);
    assertEquals(0.40, r.gasMean(), 1e-12);
    assertEquals("S1", t.recordedStage());
    assertTrue(tickWouldRecord(t));
  }

  @Test
  void s3ToS2AtPoint66And50IsRecordedDownward() {
    StageTracker t = track(new EventSeq().stageUpdate("S3").ticks(10, 0.66, 0.50));
    assertEquals("S2", t.infer().stage());
    assertTrue(tickWouldRecord(t), "0.66 < 0.70 - 0.03");
    // Within the margin of S3's bounds, a downward move is not recorded.
    StageTracker near = track(new EventSeq().stageUpdate("S3").ticks(10, 0.68, 0.53));
    assertEquals("S2", near.infer().stage());
    assertFalse(tickWouldRecord(near));
  }

  @Test
  void oscillationAroundTheS2BoundaryRecordsNothingNew() {
    for (String start : new String[] {"S2", "S1"}) {
      // Start from a full window that sits in the recorded stage.
      StageTracker t = track(new EventSeq().stageUpdate(start)
          .ticks(10, start.equals("S2") ? 0.51 : 0.49, start.equals("S2") ? 0.36 : 0.34));
      Set<String> rawStages = new HashSet<>();
      List<Integer> records = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        // Three ticks below the boundary, three above: the 10-tick mean swings across 0.50/0.35
        // but stays within the 0.03 margin on both sides.
        boolean low = (i / 3) % 2 == 0;
        t.apply(Event.of(1000 + i, "autonomy_tick", "", meta("telemetry",
            meta("IAS", low ? 0.44 : 0.56, "GAS", low ? 0.29 : 0.41))));
        rawStages.add(t.infer().stage());
        if (tickWouldRecord(t)) {
          records.add(i);
        }
      }
      assertEquals(Set.of("S1", "S2"), rawStages, "the raw bucket does flip");
      assertEquals(List.of(), records, "from " + start);
    }
  }

  @Test
  void reflectionsFillTheWindowOnlyWhileTicksAreFewerThanTen() {
    // Reflections at 1.0, then three ticks at 0.0: the window is the 3 ticks plus the newest
    // 7 reflections.
    EventSeq seq = new EventSeq();
    for (int i = 0; i < 5; i++) {
      seq.reflection("old", 0.0, 0.0); // too old to be used
    }
    for (int i = 0; i < 7; i++) {
      seq.reflection("new", 1.0, 0.5);
    }
    seq.ticks(3, 0.0, 0.0);
    StageReading r = track(seq).infer();
    assertEquals(10, r.count());
    assertEquals(0.7, r.iasMean(), 1e-12);
    assertEquals(0.35, r.gasMean(), 1e-12);

    // Ten ticks push reflections out entirely, however new.
    StageReading full = track(new EventSeq().ticks(10, 0.2, 0.2).reflection("r", 1.0, 1.0))
        .infer();
    assertEquals(0.2, full.iasMean(), 1e-12);
    assertEquals(10, full.count());

    // Only the last 10 ticks count.
    StageReading last = track(new EventSeq().ticks(5, 1.0, 1.0).ticks(10, 0.6, 0.4)).infer();
    assertEquals("S2", last.stage());

    // Few of both: everything is used.
    StageReading few = track(new EventSeq().reflection("r", 0.4, 0.3).ticks(1, 0.4, 0.3))
        .infer();
    assertEquals(2, few.count());
    assertEquals("S1", few.stage());
  }

  @Test
  void emptyWindowIsS0WithZeroMeans() {
    StageReading r = new StageTracker().infer();
    assertEquals(new StageReading("S0", 0.0, 0.0, 0), r);
  }

  @Test
  void telemetryConvertsLikePythonFloatAndSkipsWhatDoesNot() {
    StageTracker t = track(new EventSeq()
        .tick("0.6", "0.4")
        .tick(true, 0.4) // float(True) == 1.0
        .tick("junk", 0.4)
        .tick(null, 0.4)
        .add("autonomy_tick", "", meta("telemetry", meta("IAS", 0.6)))
        .add("autonomy_tick", "", meta("telemetry", "not an object"))
        .add("reflection", "no telemetry", meta()));
    StageReading r = t.infer();
    assertEquals(2, r.count());
    assertEquals(0.8, r.iasMean(), 1e-12);
  }

  @Test
  void mismatchedBandsFallToS0() {
    assertEquals("S0", StageTracker.bucket(0.9, 0.4));
    assertEquals("S0", StageTracker.bucket(0.6, 0.9));
    assertEquals("S0", StageTracker.bucket(0.4, 0.6));
    assertEquals("S0", StageTracker.bucket(0.75, 0.25));
  }

  @Test
  void bucketBoundaries() {
    assertEquals("S0", StageTracker.bucket(0.0, 0.0));
    assertEquals("S0", StageTracker.bucket(0.3499999, 0.2));
    assertEquals("S0", StageTracker.bucket(0.35, 0.1999999));
    assertEquals("S1", StageTracker.bucket(0.35, 0.20));
    assertEquals("S1", StageTracker.bucket(0.4999999, 0.3499999));
    assertEquals("S2", StageTracker.bucket(0.50, 0.35));
    assertEquals("S2", StageTracker.bucket(0.6999999, 0.5499999));
    assertEquals("S3", StageTracker.bucket(0.70, 0.55));
    assertEquals("S3", StageTracker.bucket(0.8499999, 0.7499999));
    assertEquals("S4", StageTracker.bucket(0.85, 0.75));
    assertEquals("S4", StageTracker.bucket(1.0, 1.0));
    assertEquals("S4", StageTracker.bucket(5.0, 5.0), "S4 has no upper bound");
    assertEquals("S0", StageTracker.bucket(0.85, 0.7499999), "IAS in S4, GAS in S3");
    assertEquals("S0", StageTracker.bucket(Double.NaN, 0.5));
  }

  @Test
  void hysteresisRules() {
    StageReading strong = new StageReading("S3", 0.73, 0.59, 10);
    StageReading weak = new StageReading("S3", 0.7299, 0.58, 10);
    StageReading two = new StageReading("S3", 0.9, 0.9, 2);
    assertFalse(StageTracker.withHysteresis(null, "S3", two));
    assertTrue(StageTracker.withHysteresis(null, "S3", weak));
    assertTrue(StageTracker.withHysteresis("", "S3", weak));
    assertFalse(StageTracker.withHysteresis("S3", "S3", strong));
    assertTrue(StageTracker.withHysteresis("S9", "S3", weak), "unknown prev");
    assertTrue(StageTracker.withHysteresis("S3", "S?", weak), "unknown next");
    // Upward, including multi-step jumps: both means at least 0.03 above the target's bounds.
    assertTrue(StageTracker.withHysteresis("S0", "S3", strong));
    assertFalse(StageTracker.withHysteresis("S0", "S3", weak));
    // As in Python, 0.55 + 0.03 is 0.5800000000000001, so a GAS mean of exactly 0.58 falls short.
    assertFalse(StageTracker.withHysteresis("S0", "S3", new StageReading("S3", 0.73, 0.58, 10)));
    assertFalse(StageTracker.withHysteresis("S2", "S3", new StageReading("S3", 0.8, 0.579, 10)));
    // Downward: either mean at least 0.03 below the current stage's bounds.
    assertTrue(StageTracker.withHysteresis("S4", "S1", new StageReading("S1", 0.84, 0.30, 10)),
        "GAS alone below 0.75 - 0.03");
    assertFalse(StageTracker.withHysteresis("S2", "S1", new StageReading("S1", 0.47, 0.32, 10)),
        "exactly at the margin is not below it");
    assertTrue(StageTracker.withHysteresis("S2", "S1", new StageReading("S1", 0.4699, 0.34, 10)));
    assertTrue(StageTracker.withHysteresis("S1", "S0", new StageReading("S0", 0.1, 0.1, 10)));
  }

  @Test
  void recordedStageIsTheNewestStageUpdate() {
    assertNull(new StageTracker().recordedStage());
    assertEquals("S2", track(new EventSeq().stageUpdate("S1").stageUpdate("S2")).recordedStage());
    assertNull(track(new EventSeq().stageUpdate("S1").add("stage_update", "", meta()))
        .recordedStage(), "the newest one counts even without a 'to'");
    assertNull(track(new EventSeq().stageUpdate("S1").stageUpdate("")).recordedStage());
    assertEquals("3", track(new EventSeq().stageUpdate(3L)).recordedStage());
  }
}
