package dev.pmm.projection;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads from one object of a checkpoint state, each failure an IllegalArgumentException
 * that names the path ({@code open[3].opened_at}), so a bad checkpoint says what is wrong.
 */
final class StateReader {
  private final Map<?, ?> map;
  private final String path;
  private final Set<String> read = new HashSet<>();

  StateReader(Object value, String path) {
    if (!(value instanceof Map<?, ?> m)) {
      throw bad(path, "is not an object");
    }
    this.map = m;
    this.path = path;
  }

  Object value(String key) {
    if (!map.containsKey(key)) {
      throw bad(path, "lacks \"" + key + "\"");
    }
    read.add(key);
    return map.get(key);
  }

  /** A plain JSON value, deep-copied so the model never shares mutable structure with the caller. */
  Object json(String key) {
    return copyJson(value(key), at(key));
  }

  long integer(String key) {
    Object v = value(key);
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    throw bad(at(key), "is not an integer: " + v);
  }

  long count(String key) {
    long n = integer(key);
    if (n < 0) {
      throw bad(at(key), "is negative: " + n);
    }
    return n;
  }

  Long integerOrNull(String key) {
    return value(key) == null ? null : integer(key);
  }

  double number(String key) {
    Object v = value(key);
    if (v instanceof Number n && !(v instanceof BigInteger)) {
      return n.doubleValue();
    }
    throw bad(at(key), "is not a number: " + v);
  }

  List<?> list(String key) {
    Object v = value(key);
    if (v instanceof List<?> l) {
      return l;
    }
    throw bad(at(key), "is not a list");
  }

  StateReader object(String key) {
    return new StateReader(value(key), at(key));
  }

  /** Rejects keys nobody read: a state from another layout must not load half-understood. */
  void noOtherKeys() {
    for (Object key : map.keySet()) {
      if (!read.contains(key)) {
        throw bad(path, "has unknown key \"" + key + "\"");
      }
    }
  }

  String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static IllegalArgumentException bad(String path, String problem) {
    return new IllegalArgumentException(
        "malformed projection state: " + (path.isEmpty() ? "state" : path) + " " + problem);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> copyObject(Object v, String path) {
    if (!(v instanceof Map)) {
      throw bad(path, "is not an object");
    }
    return (Map<String, Object>) copyJson(v, path);
  }

  private static Object copyJson(Object v, String path) {
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
          throw bad(path, "has a key that is not a string: " + e.getKey());
        }
        out.put(k, copyJson(e.getValue(), path + "." + k));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.add(copyJson(l.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    throw bad(path, "is not a JSON value: " + v.getClass().getSimpleName());
  }
}
