package dev.pmm.ledger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated request to append: the kind, content and meta of an event before the ledger gives it
 * an id, a timestamp and a hash. {@code metaText} is meta as the original stored it (Python's
 * default json.dumps), computed once here.
 */
public record AppendRequest(String kind, String content, Map<String, Object> meta, String metaText) {

  private static final Pattern KIND = Pattern.compile("[a-z0-9_.-]{1,64}");

  /** Thrown for a request that must not be written; the message says what was wrong. */
  public static final class Invalid extends IllegalArgumentException {
    public Invalid(String message) {
      super(message);
    }
  }

  /**
   * @param meta plain JSON values (Map, List, String, Number, Boolean, null) or null for {}
   * @param maxBytes the limit on content plus stored meta, in UTF-8 bytes
   */
  @SuppressWarnings("unchecked")
  public static AppendRequest validate(Object kind, Object content, Object meta, int maxBytes) {
    if (!(kind instanceof String k) || !KIND.matcher(k).matches()) {
      throw new Invalid("kind must be a string of 1 to 64 characters from [a-z0-9_.-], got "
          + describe(kind));
    }
    if (!(content instanceof String c)) {
      throw new Invalid("content must be a string, got " + describe(content));
    }
    if (meta != null && !(meta instanceof Map)) {
      throw new Invalid("meta must be a JSON object, got " + describe(meta));
    }
    int bad = loneSurrogate(c);
    if (bad >= 0) {
      throw new Invalid("content is not valid Unicode: a lone surrogate at character " + bad);
    }
    Map<String, Object> m = meta == null ? Map.of() : (Map<String, Object>) meta;
    checkFinite("meta", m);
    String metaText;
    try {
      metaText = PyJson.dumps(m);
    } catch (IllegalArgumentException e) {
      throw new Invalid("meta cannot be stored: " + e.getMessage());
    }
    long size = (long) c.getBytes(StandardCharsets.UTF_8).length + metaText.length();
    if (size > maxBytes) {
      throw new Invalid("event is " + size + " bytes (content plus meta), over the limit of " + maxBytes);
    }
    return new AppendRequest(k, c, m, metaText);
  }

  private static void checkFinite(String path, Object value) {
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      throw new Invalid(path + " is " + d + ": JSON has no NaN or Infinity");
    }
    if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      throw new Invalid(path + " is " + f + ": JSON has no NaN or Infinity");
    }
    if (value instanceof String s && loneSurrogate(s) >= 0) {
      throw new Invalid(path + " is not valid Unicode: a lone surrogate at character " + loneSurrogate(s));
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new Invalid(path + " has a key that is not a string");
        }
        if (loneSurrogate(key) >= 0) {
          throw new Invalid(path + " has a key that is not valid Unicode (a lone surrogate)");
        }
        checkFinite(path + "." + e.getKey(), e.getValue());
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkFinite(path + "[" + i + "]", list.get(i));
      }
    }
  }

  /**
   * The index of the first unpaired surrogate, or -1. Such a string has no UTF-8 form: it would be
   * hashed and exported as "?" while the ledger keeps something else.
   */
  public static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(ch)) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String s) {
      return "\"" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "\"";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
