package dev.pmm.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmm.ledger.PyJson;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JSON values (what {@link PyJson#parse} makes) for the fold tests: built, copied, checked. */
public final class PlainJson {
  private PlainJson() {}

  /** A meta map as the parser makes them: a LinkedHashMap of key, value, key, value...; nulls allowed. */
  public static Map<String, Object> meta(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * What a checkpoint does to a state: written as canonical JSON and parsed back, as FoldingCache
   * saves and restores it (fresh containers, floats through their repr). The state must be plain
   * JSON already: the writer would quietly turn an Integer or a Float into something else.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> checkpointCopy(Map<String, Object> state) {
    assertPlainJson(state, "state");
    return (Map<String, Object>) PyJson.parse(PyJson.canonical(state));
  }

  /**
   * Asserts that {@code v} holds only what the parser makes, so a checkpoint gives it back
   * unchanged: LinkedHashMap with String keys, ArrayList, String, Long, BigInteger (beyond a long
   * only), Double, Boolean and null. Never Integer.
   */
  public static void assertPlainJson(Object v, String path) {
    if (v instanceof Map<?, ?> m) {
      assertEquals(LinkedHashMap.class, m.getClass(), path);
      m.forEach((k, x) -> {
        assertTrue(k instanceof String, path + " key " + k);
        assertPlainJson(x, path + "." + k);
      });
    } else if (v instanceof List<?> l) {
      assertEquals(ArrayList.class, l.getClass(), path);
      for (int i = 0; i < l.size(); i++) {
        assertPlainJson(l.get(i), path + "[" + i + "]");
      }
    } else {
      assertTrue(v == null || v instanceof String || v instanceof Long || v instanceof Double
          || v instanceof Boolean || (v instanceof BigInteger b && b.bitLength() >= 64),
          () -> path + " is a " + v.getClass() + ": " + v);
    }
  }
}
