package dev.pmm.metrics;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint does to a state: written as canonical JSON (Python float repr) and parsed
 * back, so integers return as Long and floats as Double parsed from their repr. Fails on any value
 * JSON cannot hold, which is how the tests check that states are plain JSON.
 */
final class JsonRoundTrip {
  private JsonRoundTrip() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> state) {
    return (Map<String, Object>) value(state);
  }

  private static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (v instanceof Double d) {
      String repr = Py.reprFloat(d);
      switch (repr) {
        case "nan":
          return Double.NaN;
        case "inf":
          return Double.POSITIVE_INFINITY;
        case "-inf":
          return Double.NEGATIVE_INFINITY;
        default:
          return Double.parseDouble(repr);
      }
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, value(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(value(x)));
      return out;
    }
    throw new AssertionError("not a JSON value: " + v.getClass() + " " + v);
  }
}
