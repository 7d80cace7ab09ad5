package dev.pmm.metrics;

import static dev.pmm.support.PlainJson.meta;

import dev.pmm.ledger.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds ledger-ordered event lists (ids 1, 2, ...) for the metrics tests. */
final class EventSeq {
  private final List<Event> events = new ArrayList<>();

  List<Event> list() {
    return List.copyOf(events);
  }

  EventSeq add(String kind, String content, Map<String, Object> meta) {
    events.add(Event.of(events.size() + 1, kind, content, meta));
    return this;
  }

  EventSeq adopt(String name, Object confidence) {
    return add("identity_adopt", name, meta("name", name, "confidence", confidence));
  }

  EventSeq ticks(int n) {
    for (int i = 0; i < n; i++) {
      add("autonomy_tick", "", meta());
    }
    return this;
  }

  EventSeq tick(Object ias, Object gas) {
    return add("autonomy_tick", "", meta("telemetry", meta("IAS", ias, "GAS", gas)));
  }

  EventSeq ticks(int n, double ias, double gas) {
    for (int i = 0; i < n; i++) {
      tick(ias, gas);
    }
    return this;
  }

  EventSeq reflection(String text) {
    return add("reflection", text, meta());
  }

  EventSeq reflection(String text, Object ias, Object gas) {
    return add("reflection", text, meta("telemetry", meta("IAS", ias, "GAS", gas)));
  }

  EventSeq open(String text) {
    return add("commitment_open", "Commitment opened: " + text, meta("text", text));
  }

  EventSeq close() {
    return add("commitment_close", "", meta("cid", "c"));
  }

  EventSeq invariant(Object code, Object commitmentId) {
    return add("invariant_violation", "", meta("code", code, "details",
        meta("commitment_id", commitmentId)));
  }

  EventSeq stageUpdate(Object to) {
    return add("stage_update", "", meta("to", to));
  }

  /** {ias, gas} of a fresh fold fed the events one by one. */
  static double[] fold(List<Event> events) {
    IasGasFold f = new IasGasFold();
    events.forEach(f::apply);
    return new double[] {f.ias(), f.gas()};
  }

  /** The fold's raw (pre-feedback, unclipped) {ias, gas}, for facts about the arithmetic. */
  static double[] raw(List<Event> events) {
    IasGasFold f = new IasGasFold();
    events.forEach(f::apply);
    Map<String, Object> s = f.toState();
    return new double[] {(Double) s.get("ias_raw"), (Double) s.get("gas_raw")};
  }
}
