package dev.pmm.metrics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The few Python builtins the original's metrics apply to meta values (plain JSON: Map, List,
 * String, Long/BigInteger, Double, Boolean, null). The folds must agree with Python on odd inputs
 * too, because a name or code that is a number or a list still counts in the original.
 */
final class Py {
  private Py() {}

  /** Python {@code bool(v)}. */
  static boolean truthy(Object v) {
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
    if (v instanceof Double d) {
      return d != 0.0; // NaN is truthy in Python, and NaN != 0.0 is true here too
    }
    if (v instanceof Number n) {
      return n.longValue() != 0;
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (v instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }

  /** Python {@code a or b}: the first truthy value, else the last one. */
  static Object or(Object... values) {
    for (int i = 0; i < values.length - 1; i++) {
      if (truthy(values[i])) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** Python {@code str(v)}. */
  static String str(Object v) {
    return v instanceof String s ? s : repr(v);
  }

  /**
   * Python {@code repr(v)} for JSON values. Strings follow CPython's quoting and escaping; which
   * characters count as printable follows the JDK's Unicode tables, which may trail Python's.
   */
  static String repr(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof String s) {
      return reprString(s);
    }
    if (v instanceof Double d) {
      return reprFloat(d);
    }
    if (v instanceof Float f) {
      return reprFloat(f.doubleValue());
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

  /**
   * Python float repr: the shortest decimal that reads back as the same double, fixed notation
   * for decimal exponents in [-4, 16), else {@code 1e+16} style. (JDK 17's Double.toString is
   * neither shortest in every case nor formatted like this.)
   */
  static String reprFloat(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0.0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    // If some p-digit decimal reads back as d, so does some (p+1)-digit one (append a 0), so the
    // shortest length can be found by bisection.
    int lo = 1;
    int hi = 17;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (roundTripping(exact, d, mid) != null) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    BigDecimal shortest = roundTripping(exact, d, lo);
    String digits = shortest.unscaledValue().abs().toString().replaceFirst("0+$", "");
    if (digits.isEmpty()) {
      digits = "0";
    }
    // decpt: where the decimal point sits relative to the first digit, as in CPython's dtoa
    int decpt = shortest.precision() - shortest.scale();
    String sign = d < 0 ? "-" : "";
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        return sign + "0." + "0".repeat(-decpt) + digits;
      }
      if (decpt >= digits.length()) {
        return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
      }
      return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
    }
    int exp = decpt - 1;
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "")
        + Math.abs(exp);
  }

  /**
   * The p-digit decimal closest to d that reads back as d, or null. Both neighbours are tried
   * because at a power of two the nearest one can fall on the narrow side of d's rounding
   * interval while the other still reads back (CPython's repr then prints the other).
   */
  private static BigDecimal roundTripping(BigDecimal exact, double d, int p) {
    BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
    boolean downOk = down.doubleValue() == d;
    boolean upOk = up.doubleValue() == d;
    if (downOk && upOk) {
      int c = exact.subtract(down).compareTo(up.subtract(exact));
      return c < 0 ? down : c > 0 ? up : exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
    }
    return downOk ? down : upOk ? up : null;
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

  private static final Pattern FLOAT_SYNTAX = Pattern.compile(
      "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.\\d(?:_?\\d)*|\\d(?:_?\\d)*\\.?)(?:[eE][+-]?\\d(?:_?\\d)*)?");
  private static final Pattern FLOAT_SPECIAL = Pattern.compile(
      "[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  /**
   * Python {@code float(v)}, or null where Python raises (None, lists, dicts, bad strings, ints
   * too large for a double). Non-ASCII digits, which Python also accepts, are not supported.
   */
  static Double toFloat(Object v) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof BigInteger b) {
      double d = b.doubleValue();
      return Double.isInfinite(d) ? null : d;
    }
    if (v instanceof Number n) {
      return n instanceof Float ? n.doubleValue() : (double) n.longValue();
    }
    if (v instanceof String s) {
      String t = strip(s);
      if (FLOAT_SYNTAX.matcher(t).matches()) {
        return Double.parseDouble(t.replace("_", ""));
      }
      if (FLOAT_SPECIAL.matcher(t).matches()) {
        String lower = t.toLowerCase(Locale.ROOT);
        boolean negative = lower.startsWith("-");
        if (lower.endsWith("nan")) {
          return Double.NaN;
        }
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    return null;
  }

  /** Python {@code str.isspace} for one code point (CPython's _PyUnicode_IsWhitespace table). */
  static boolean isSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0
        || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202f || cp == 0x205f || cp == 0x3000;
  }

  /** Python {@code str.strip()}; Java's strip() disagrees on U+00A0, U+2007, U+202F and U+0085. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end); // every Python space is in the BMP, so chars suffice
  }

  /**
   * The original's {@code _norm_text}: {@code (s or "").strip().lower()}, and "" when that raises
   * (a non-string meta value has no strip()). Lower-casing uses the JDK's Unicode tables
   * (Locale.ROOT, full case mapping), which can trail Python's Unicode version.
   */
  static String norm(Object s) {
    Object v = or(s, "");
    return v instanceof String str ? strip(str).toLowerCase(Locale.ROOT) : "";
  }

  /** Python {@code len(s)}: code points, not UTF-16 units. */
  static int len(String s) {
    return s.codePointCount(0, s.length());
  }
}
