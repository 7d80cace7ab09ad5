package dev.pmm.metrics;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a checkpoint state back, field by field. Every failure is an IllegalArgumentException
 * that names the path of the bad value, since a checkpoint that cannot be read must be reported
 * (and the state rebuilt by replay), never half-loaded.
 */
final class StateReader {
  private final String path;
  private final Object value;

  private StateReader(String path, Object value) {
    this.path = path;
    this.value = value;
  }

  /** The value at {@code path}, which must be an object with exactly these keys. */
  static StateReader object(Object value, String path, String... keys) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(path + " must be an object, got " + describe(value));
    }
    TreeSet<String> expected = new TreeSet<>(Arrays.asList(keys));
    TreeSet<String> actual = new TreeSet<>();
    map.keySet().forEach(k -> actual.add(String.valueOf(k)));
    if (!actual.equals(expected)) {
      throw new IllegalArgumentException(path + " must have exactly the keys " + expected
          + ", got " + actual);
    }
    return new StateReader(path, value);
  }

  IllegalArgumentException malformed(String what) {
    return new IllegalArgumentException(path + " " + what);
  }

  private StateReader field(String key) {
    return new StateReader(path + "." + key, ((Map<?, ?>) value).get(key));
  }

  private StateReader item(int i) {
    return new StateReader(path + "[" + i + "]", ((List<?>) value).get(i));
  }

  long nonNegativeLong(String key) {
    return field(key).nonNegativeLong();
  }

  double finiteDouble(String key) {
    StateReader f = field(key);
    double d = f.anyDouble();
    if (!Double.isFinite(d)) {
      throw f.malformed("must be a finite number, got " + d);
    }
    return d;
  }

  /** A tick number in [0, maxTick], or null. */
  Long tickOrNull(String key, long maxTick) {
    StateReader f = field(key);
    return f.value == null ? null : f.tick(maxTick);
  }

  String stringOrNull(String key) {
    StateReader f = field(key);
    return f.value == null ? null : f.string();
  }

  /** The list at {@code key}, each item a two-element list, as readers of those pairs. */
  List<StateReader> pairs(String key) {
    return pairs(key, Integer.MAX_VALUE);
  }

  List<StateReader> pairs(String key, int maxSize) {
    StateReader f = field(key);
    if (!(f.value instanceof List<?> list)) {
      throw f.malformed("must be a list, got " + describe(f.value));
    }
    if (list.size() > maxSize) {
      throw f.malformed("must hold at most " + maxSize + " pairs, got " + list.size());
    }
    List<StateReader> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      StateReader pair = f.item(i);
      if (!(pair.value instanceof List<?> p) || p.size() != 2) {
        throw pair.malformed("must be a list of two values, got " + describe(pair.value));
      }
      out.add(pair);
    }
    return out;
  }

  long tickAt(int i, long maxTick) {
    return item(i).tick(maxTick);
  }

  String stringAt(int i) {
    return item(i).string();
  }

  /** Any double, NaN and infinities included (telemetry can hold them). */
  double doubleAt(int i) {
    return item(i).anyDouble();
  }

  private long tick(long maxTick) {
    long t = nonNegativeLong();
    if (t > maxTick) {
      throw malformed("must not exceed the tick count " + maxTick + ", got " + t);
    }
    return t;
  }

  private long nonNegativeLong() {
    long v;
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      v = ((Number) value).longValue();
    } else if (value instanceof BigInteger b && b.bitLength() < 64) {
      v = b.longValue();
    } else {
      throw malformed("must be an integer, got " + describe(value));
    }
    if (v < 0) {
      throw malformed("must not be negative, got " + v);
    }
    return v;
  }

  private double anyDouble() {
    // Integers are accepted too: a writer may print 0.0 as 0, and the value is the same.
    if (!(value instanceof Number n)) {
      throw malformed("must be a number, got " + describe(value));
    }
    return n.doubleValue();
  }

  private String string() {
    if (!(value instanceof String s)) {
      throw malformed("must be a string, got " + describe(value));
    }
    return s;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String text = String.valueOf(v);
    return v.getClass().getSimpleName() + " "
        + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
