package dev.pmm.metrics;

import static dev.pmm.support.PlainJson.meta;

import dev.pmm.ledger.Event;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random ledgers for the property tests. Values come from small pools so that names, texts and
 * invariant keys collide, windows are hit at their edges, and odd JSON values (numbers as names,
 * junk confidences) turn up.
 */
final class RandomLedger {
  private RandomLedger() {}

  private static final List<Object> NAMES = Arrays.asList("Ava", "ava", " Ava ", "Bea", "Echo",
      "", "   ", null, 7L, 1.5, true, List.of("x"));
  private static final List<Object> CONFIDENCES = Arrays.asList(0.95, 0.9, 0.89, 1.0, "0.95",
      "high", null, true, 1L, BigInteger.ONE, Double.NaN);
  private static final List<String> OPEN_TEXTS = Arrays.asList("write tests", "Write Tests ",
      "ship it", "", "  ", "refactor");
  private static final List<String> REFLECTIONS = Arrays.asList("my name is Ava",
      "I wonder about my identity today", "identity", "Observation: steady", "",
      "  IDENTITY and continuity  ", "My Name");
  private static final List<Object> CODES = Arrays.asList("E1", "E2", "", null, 3L);
  private static final List<Object> CIDS = Arrays.asList("c1", "c2", 5L, "5", null, 0L);
  private static final List<Object> TELEMETRY = Arrays.asList(0.1, 0.36, 0.5, 0.55, 0.66, 0.72,
      0.9, 1.0, 0.0, "0.4", "junk", null, true, 0.51);
  private static final List<Object> STAGES = Arrays.asList("S0", "S1", "S2", "S3", "S4", "",
      null, "S9");

  static List<Event> events(Random r, int n) {
    List<Event> out = new ArrayList<>(n);
    long id = 0;
    for (int i = 0; i < n; i++) {
      id += 1 + (r.nextInt(10) == 0 ? r.nextInt(5) : 0); // increasing, with the odd gap
      out.add(event(r, id));
    }
    return out;
  }

  private static Event event(Random r, long id) {
    int k = r.nextInt(100);
    if (k < 35) {
      return r.nextInt(3) == 0 ? Event.of(id, "autonomy_tick", "", meta())
          : Event.of(id, "autonomy_tick", "", telemetry(r));
    }
    if (k < 45) {
      Map<String, Object> m = meta("name", pick(r, NAMES));
      if (r.nextInt(4) != 0) {
        m.put("confidence", pick(r, CONFIDENCES));
      }
      if (r.nextInt(5) == 0) {
        m.put("sanitized", pick(r, NAMES));
      }
      Object content = pick(r, NAMES);
      return Event.of(id, "identity_adopt", content instanceof String s ? s : "", m);
    }
    if (k < 57) {
      String text = pick(r, OPEN_TEXTS);
      String content = r.nextBoolean() ? text : "";
      return Event.of(id, "commitment_open", content, meta("cid", "c" + r.nextInt(3), "text",
          r.nextInt(6) == 0 ? 9L : text));
    }
    if (k < 65) {
      return Event.of(id, "commitment_close", "", meta("cid", "c" + r.nextInt(3)));
    }
    if (k < 75) {
      Map<String, Object> m = r.nextBoolean() ? telemetry(r) : meta();
      return Event.of(id, "reflection", pick(r, REFLECTIONS), m);
    }
    if (k < 80) {
      Object details = r.nextInt(5) == 0 ? "odd" : meta("commitment_id", pick(r, CIDS));
      return Event.of(id, "invariant_violation", "", meta("code", pick(r, CODES), "details",
          details));
    }
    if (k < 84) {
      return Event.of(id, "stage_update", "", meta("to", pick(r, STAGES)));
    }
    if (k < 88) {
      return Event.of(id, "commitment_expire", "", meta("cid", "c1"));
    }
    String[] others = {"user_message", "assistant_message", "trait_update", "metrics_update",
        "stage_progress"};
    return Event.of(id, others[r.nextInt(others.length)], "hello", meta("IAS", 0.5));
  }

  private static Map<String, Object> telemetry(Random r) {
    Map<String, Object> t = meta("IAS", pick(r, TELEMETRY), "GAS", pick(r, TELEMETRY));
    if (r.nextInt(10) == 0) {
      t.remove(r.nextBoolean() ? "IAS" : "GAS");
    }
    return meta("telemetry", r.nextInt(20) == 0 ? "not an object" : t);
  }

  private static <T> T pick(Random r, List<T> pool) {
    return pool.get(r.nextInt(pool.size()));
  }
}
