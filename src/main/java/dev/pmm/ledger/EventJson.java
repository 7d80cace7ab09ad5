package dev.pmm.ledger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events and meta values between Vert.x JSON (message bodies) and the plain values the domain uses. */
public final class EventJson {
  private EventJson() {}

  public static JsonObject toJson(Event e) {
    return new JsonObject()
        .put("id", e.id())
        .put("ts", e.ts())
        .put("kind", e.kind())
        .put("content", e.content())
        .put("meta", new JsonObject(e.meta()))
        .put("prev_hash", e.prevHash())
        .put("hash", e.hash());
  }

  @SuppressWarnings("unchecked")
  public static Event fromJson(JsonObject json) {
    Object meta = plain(json.getValue("meta"));
    return new Event(json.getLong("id"), json.getString("ts"), json.getString("kind"),
        json.getString("content"), meta instanceof Map ? (Map<String, Object>) meta : Map.of(),
        json.getString("prev_hash"), json.getString("hash"));
  }

  public static List<Event> fromJsonArray(JsonArray events) {
    List<Event> list = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      list.add(fromJson(events.getJsonObject(i)));
    }
    return list;
  }

  /**
   * Vert.x JSON values to the plain values canonical JSON is defined on: integers as Long or
   * BigInteger, floats as Double, objects as LinkedHashMap, arrays as ArrayList.
   *
   * @throws IllegalArgumentException naming the path of a value JSON cannot hold
   */
  public static Object plain(Object value) {
    return plain("meta", value);
  }

  private static Object plain(String path, Object value) {
    if (value == null || value instanceof String || value instanceof Boolean
        || value instanceof Long || value instanceof Double || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (value instanceof JsonObject o) {
      return plain(path, o.getMap());
    }
    if (value instanceof JsonArray a) {
      return plain(path, a.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + " has a key that is not a string");
        }
        out.put(key, plain(path + "." + key, e.getValue()));
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(plain(path + "[" + i + "]", list.get(i)));
      }
      return out;
    }
    throw new IllegalArgumentException(path + " holds a " + value.getClass().getSimpleName()
        + ", which is not a JSON value");
  }
}
