package dev.pmm.ledger;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Python builtins the original's folds apply to event meta, over plain JSON values (String,
 * Long/BigInteger, Double, Boolean, Map, List, null). Folds must agree with the Python original
 * byte for byte, odd inputs included (a name or code that is a number or a list still counts), so
 * these follow CPython, not Java, wherever the two differ.
 */
public final class Py {
  private Py() {}

  // Python's float()/int() grammar once Unicode digits are mapped to ASCII and the text is
  // stripped; Java's own parsers accept more ("1d", "0x1p3", "Infinity" only) and less ("1_0").
  private static final String DIGITS = "[0-9](?:_?[0-9])*";
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\." + DIGITS + ")(?:[eE][+-]?" + DIGITS + ")?");
  private static final Pattern INT = Pattern.compile("[+-]?" + DIGITS);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Python {@code bool(v)}: None, False, zero, "" and empty containers are false; NaN is true. */
  public static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof BigInteger b) {
      return b.signum() != 0;
    }
    if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue() != 0.0; // NaN != 0.0, as in Python
    }
    if (v instanceof Number n) {
      return n.longValue() != 0;
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    return true;
  }

  /** Python {@code a or b}: the first truthy value, else the last one. */
  public static Object or(Object... values) {
    for (int i = 0; i < values.length - 1; i++) {
      if (truthy(values[i])) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** Python {@code str(v)}. */
  public static String str(Object v) {
    return v instanceof String s ? s : repr(v);
  }

  /**
   * Python {@code repr(v)} for JSON values. Strings follow CPython's quoting and escaping; which
   * characters count as printable follows the JDK's Unicode tables, which may trail Python's.
   */
  public static String repr(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof String s) {
      return reprString(s);
    }
    if (v instanceof Double || v instanceof Float) {
      return PyJson.floatRepr(((Number) v).doubleValue());
    }
    if (v instanceof Number n) {
      return n.toString(); // Long, Integer, BigInteger: plain decimal, as Python prints ints
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(repr(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ", ").append(repr(e.getKey())).append(": ")
            .append(repr(e.getValue()));
        first = false;
      }
      return sb.append('}').toString();
    }
    return String.valueOf(v);
  }

  private static String reprString(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(quote);
    s.codePoints().forEach(cp -> {
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp < 0x20 || cp == 0x7f) {
        sb.append(String.format("\\x%02x", cp));
      } else if (cp < 0x7f || isPrintable(cp)) {
        sb.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        sb.append(String.format("\\x%02x", cp));
      } else if (cp <= 0xffff) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.append(String.format("\\U%08x", cp));
      }
    });
    return sb.append(quote).toString();
  }

  private static boolean isPrintable(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
        return false;
      case Character.SPACE_SEPARATOR:
        return cp == ' ';
      default:
        return true;
    }
  }

  /** {@code str.isspace()} for one code point; wider than Java's isWhitespace (NBSP, NEL, ...). */
  public static boolean isSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
        || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }

  /** Python {@code s.strip()}; Java's strip() disagrees on U+00A0, U+2007, U+202F and U+0085. */
  public static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end); // every Python space is in the BMP, so chars are enough
  }

  /**
   * The original's {@code _norm_text}: {@code (s or "").strip().lower()}, and "" when that raises
   * (a non-string meta value has no strip()). Lower-casing uses the JDK's Unicode tables
   * (Locale.ROOT, full case mapping), which can trail Python's Unicode version.
   */
  public static String norm(Object s) {
    Object v = or(s, "");
    return v instanceof String str ? strip(str).toLowerCase(Locale.ROOT) : "";
  }

  /** Python {@code len(s)}: code points, not UTF-16 units. */
  public static int len(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * Python {@code float(v)}, or null where that raises (None, containers, bad text, ints too large
   * for a double): for callers that skip such a value rather than read it as 0.0.
   */
  public static Double toFloat(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof BigInteger b) {
      double d = b.doubleValue(); // correctly rounded, like Python's int-to-float
      return Double.isInfinite(d) ? null : d; // Python raises OverflowError instead
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      return parseFloat(s);
    }
    return null;
  }

  /** Python {@code float(v)}, or 0.0 where that raises (see {@link #toFloat}). */
  public static double floatOrZero(Object v) {
    Double d = toFloat(v);
    return d == null ? 0.0 : d;
  }

  /**
   * Python {@code int(v)}, or 0 where that raises (NaN, infinity, None, containers, bad text).
   * Python ints are unbounded; results beyond a long saturate at Long.MIN/MAX_VALUE.
   */
  public static long intOrZero(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof BigInteger b) {
      return saturate(b);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? (long) d : 0; // the cast truncates toward zero and saturates
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s) {
      String t = asciiDigits(strip(s));
      return t != null && INT.matcher(t).matches()
          ? saturate(new BigInteger(t.replace("_", ""))) : 0;
    }
    return 0;
  }

  /**
   * Python {@code max(0.0, min(1.0, x))}. Python's min/max keep the first argument unless a later
   * one compares strictly smaller/larger, so NaN ends as 1.0 and -0.0 as 0.0.
   */
  public static double clamp01(double x) {
    double upper = x < 1.0 ? x : 1.0;
    return upper > 0.0 ? upper : 0.0;
  }

  /**
   * The value a Python dict or set would treat {@code v} as equal to, usable as a Java map key:
   * "5" and 5 differ, but 1, 1.0 and True are one key, as are 2**64 and 1.8446744073709552e19.
   * Returns null for lists and maps, which Python cannot hash.
   */
  public static Object dictKey(Object v) {
    if (v instanceof String) {
      return v;
    }
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d)) {
        return dictKey(new BigDecimal(d).toBigInteger()); // integral floats equal ints
      }
      return d; // NaN stays equal to NaN: the original's json module parses every NaN to one object
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    return null;
  }

  private static Double parseFloat(String s) {
    String t = asciiDigits(strip(s));
    if (t == null) {
      return null;
    }
    String lower = t.toLowerCase(Locale.ROOT);
    boolean negative = lower.startsWith("-");
    String unsigned = negative || lower.startsWith("+") ? lower.substring(1) : lower;
    switch (unsigned) {
      case "nan":
        return Double.NaN;
      case "inf":
      case "infinity":
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      default:
        return FLOAT.matcher(t).matches() ? Double.parseDouble(t.replace("_", "")) : null;
    }
  }

  // Python's float()/int() accept any Unicode decimal digit (Arabic-Indic, fullwidth, ...); any
  // other non-ASCII character makes the text invalid (null here).
  private static String asciiDigits(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        out.append((char) cp);
      } else if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
        out.append((char) ('0' + Character.digit(cp, 10)));
      } else {
        return null;
      }
    }
    return out.toString();
  }

  private static long saturate(BigInteger b) {
    return b.max(LONG_MIN).min(LONG_MAX).longValue();
  }
}
