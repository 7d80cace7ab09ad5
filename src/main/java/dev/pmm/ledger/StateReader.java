package dev.pmm.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a checkpoint state back (plain JSON values, as {@link PyJson#parse} gives them) value by
 * value. Every failure is an IllegalArgumentException that names the path of the bad value
 * ({@code state.open[3].opened_at}), because a checkpoint that cannot be read must be reported
 * (and the fold rebuilt by replay), never half-loaded.
 */
public final class StateReader {

  private final Object value;
  private final String path;

  private StateReader(Object value, String path) {
    this.value = value;
    this.path = path;
  }

  /** A reader of {@code state}, which failures call {@code path}. */
  public static StateReader of(Object state, String path) {
    return new StateReader(state, path);
  }

  /** A failure about this value: {@code problem} follows its path, as in "state.x is negative". */
  public IllegalArgumentException malformed(String problem) {
    return new IllegalArgumentException(path + " " + problem);
  }

  private IllegalArgumentException notA(String what) {
    return malformed("is not " + what + ": " + describe(value));
  }

  /**
   * This value, which must be an object with exactly these keys: a state from another layout
   * must not load half-understood.
   */
  public StateReader object(String... keys) {
    Map<?, ?> map = map();
    List<String> expected = List.of(keys);
    for (String key : keys) {
      if (!map.containsKey(key)) {
        throw malformed("lacks \"" + key + "\" (expected exactly the keys " + expected + ")");
      }
    }
    for (Object key : map.keySet()) {
      if (!expected.contains(key)) {
        throw malformed("has unknown key \"" + key + "\" (expected exactly the keys " + expected + ")");
      }
    }
    return this;
  }

  /** The value at {@code key} of this object. */
  public StateReader field(String key) {
    Map<?, ?> map = map();
    if (!map.containsKey(key)) {
      throw malformed("lacks \"" + key + "\"");
    }
    return new StateReader(map.get(key), path + "." + key);
  }

  private Map<?, ?> map() {
    if (!(value instanceof Map<?, ?> map)) {
      throw notA("an object");
    }
    return map;
  }

  /** Null for a null value, else what {@code read} makes of it. */
  public <T> T orNull(Function<StateReader, T> read) {
    return value == null ? null : read.apply(this);
  }

  /** An integer that fits a long. */
  public long integer() {
    Long n = asLong();
    if (n == null) {
      throw notA("an integer");
    }
    return n;
  }

  /** A non-negative integer. */
  public long count() {
    long n = integer();
    if (n < 0) {
      throw malformed("is negative: " + n);
    }
    return n;
  }

  /**
   * Any double, NaN and infinities included. Integers are accepted too (a writer may print 0.0
   * as 0), but not one beyond a long, whose double need not be the value written.
   */
  public double number() {
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue();
    }
    Long n = asLong();
    if (n == null) {
      throw notA("a number");
    }
    return n;
  }

  // The parser gives Long up to 64 bits; a BigInteger that fits (from another producer) is the
  // same integer.
  private Long asLong() {
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }

  public double finiteNumber() {
    double d = number();
    if (!Double.isFinite(d)) {
      throw notA("a finite number");
    }
    return d;
  }

  public String string() {
    if (!(value instanceof String s)) {
      throw notA("a string");
    }
    return s;
  }

  /** The items of this list, as readers of them. */
  public List<StateReader> items() {
    if (!(value instanceof List<?> list)) {
      throw notA("a list");
    }
    List<StateReader> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(new StateReader(list.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** The items of this list, which may hold at most {@code maxSize}. */
  public List<StateReader> items(int maxSize) {
    List<StateReader> items = items();
    if (items.size() > maxSize) {
      throw malformed("must hold at most " + maxSize + " items, got " + items.size());
    }
    return items;
  }

  /** The two items of this list, which must hold exactly two. */
  public List<StateReader> pair() {
    if (!(value instanceof List<?> list) || list.size() != 2) {
      throw notA("a list of two values");
    }
    return items();
  }

  /** Any plain JSON value, deep-copied so the fold never shares mutable structure with the caller. */
  public Object json() {
    return copyJson(value, path);
  }

  /** A JSON object, deep-copied like {@link #json()}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> jsonObject() {
    map();
    return (Map<String, Object>) json();
  }

  private static Object copyJson(Object v, String at) {
    if (v == null || v instanceof String || v instanceof Long || v instanceof Double
        || v instanceof Boolean || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException(at + " has a key that is not a string: " + e.getKey());
        }
        out.put(k, copyJson(e.getValue(), at + "." + k));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.add(copyJson(l.get(i), at + "[" + i + "]"));
      }
      return out;
    }
    throw new IllegalArgumentException(
        at + " is not a JSON value: " + v.getClass().getSimpleName());
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
