package dev.pmm.ledger;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as the Python PMM reads and writes it. Ledger hashes are SHA-256 over Python's
 * {@code json.dumps} output, so every byte (key order, escapes, float digits) has to match; a
 * general-purpose JSON library gets floats and key order subtly wrong.
 *
 * <p>Values are plain Java objects: {@code LinkedHashMap<String,Object>}, {@code ArrayList<Object>},
 * String, Long or BigInteger, Double, Boolean and null.
 */
public final class PyJson {

  /** Deeper input is rejected (parse) or refused (write) so recursion cannot overflow the stack. */
  public static final int MAX_DEPTH = 512;

  /** CPython 3.11+ refuses longer integer literals; also keeps BigInteger's quadratic parse bounded. */
  private static final int MAX_INT_DIGITS = 4300;

  /** Malformed JSON text; the message names the problem and the character offset. */
  public static final class SyntaxError extends IllegalArgumentException {
    private final int offset;

    public SyntaxError(String problem, int offset) {
      super(problem + " at offset " + offset);
      this.offset = offset;
    }

    /** Index of the offending character in the parsed text. */
    public int offset() {
      return offset;
    }
  }

  private PyJson() {
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Parses like Python's {@code json.loads}, including its NaN / Infinity / -Infinity literals. */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw new SyntaxError("extra data after the value", p.pos);
    }
    return value;
  }

  private static final class Parser {
    private final String s;
    private final int len;
    private int pos;

    Parser(String s) {
      this.s = s;
      this.len = s.length();
    }

    void skipWhitespace() {
      // Python's JSON whitespace is exactly these four; others (NBSP, BOM, ...) are errors.
      while (pos < len) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        pos++;
      }
    }

    SyntaxError expected(String what) {
      return pos >= len
          ? new SyntaxError("unexpected end of input, expected " + what, pos)
          : new SyntaxError("expected " + what, pos);
    }

    Object value(int depth) {
      if (pos >= len) {
        throw expected("a value");
      }
      switch (s.charAt(pos)) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        case 'N':
          return literal("NaN", Double.NaN);
        case 'I':
          return literal("Infinity", Double.POSITIVE_INFINITY);
        case '-':
          if (s.startsWith("-Infinity", pos)) {
            return literal("-Infinity", Double.NEGATIVE_INFINITY);
          }
          return number();
        default:
          char c = s.charAt(pos);
          if (c >= '0' && c <= '9') {
            return number();
          }
          throw expected("a value");
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw expected("a value");
      }
      pos += word.length();
      return value;
    }

    private void enter(int depth) {
      if (depth > MAX_DEPTH) {
        throw new SyntaxError("nesting deeper than " + MAX_DEPTH, pos);
      }
    }

    private Map<String, Object> object(int depth) {
      enter(depth);
      pos++; // '{'
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < len && s.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        if (pos >= len || s.charAt(pos) != '"') {
          throw expected("a string key");
        }
        String key = string();
        skipWhitespace();
        if (pos >= len || s.charAt(pos) != ':') {
          throw expected("':'");
        }
        pos++;
        skipWhitespace();
        // Like a Python dict: a repeated key keeps its first position and takes the last value.
        map.put(key, value(depth));
        skipWhitespace();
        char c = pos < len ? s.charAt(pos) : 0;
        pos++;
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          pos--;
          throw expected("',' or '}'");
        }
        skipWhitespace();
      }
    }

    private List<Object> array(int depth) {
      enter(depth);
      pos++; // '['
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (pos < len && s.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        list.add(value(depth));
        skipWhitespace();
        char c = pos < len ? s.charAt(pos) : 0;
        pos++;
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          pos--;
          throw expected("',' or ']'");
        }
        skipWhitespace();
      }
    }

    private String string() {
      int start = pos++; // opening quote
      int run = pos;
      StringBuilder sb = null; // only strings with escapes need copying
      while (pos < len) {
        char c = s.charAt(pos);
        if (c == '"') {
          String result = sb == null ? s.substring(run, pos) : sb.append(s, run, pos).toString();
          pos++;
          return result;
        }
        if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder(pos - run + 16);
          }
          sb.append(s, run, pos);
          escape(sb, start);
          run = pos;
        } else if (c < 0x20) {
          throw new SyntaxError(
              String.format("invalid control character U+%04X in string", (int) c), pos);
        } else {
          pos++;
        }
      }
      throw new SyntaxError("unterminated string starting", start);
    }

    /** Decodes one escape at pos (the backslash). A lone surrogate escape stays a lone char. */
    private void escape(StringBuilder sb, int stringStart) {
      int at = pos;
      if (pos + 1 >= len) {
        throw new SyntaxError("unterminated string starting", stringStart);
      }
      char e = s.charAt(pos + 1);
      pos += 2;
      switch (e) {
        case '"': sb.append('"'); return;
        case '\\': sb.append('\\'); return;
        case '/': sb.append('/'); return;
        case 'b': sb.append('\b'); return;
        case 'f': sb.append('\f'); return;
        case 'n': sb.append('\n'); return;
        case 'r': sb.append('\r'); return;
        case 't': sb.append('\t'); return;
        case 'u':
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = pos + i < len ? hexValue(s.charAt(pos + i)) : -1;
            if (digit < 0) {
              throw new SyntaxError("invalid \\uXXXX escape", at);
            }
            code = code * 16 + digit;
          }
          pos += 4;
          // Surrogate pairs need no joining: Java strings are UTF-16 already.
          sb.append((char) code);
          return;
        default:
          throw new SyntaxError("invalid escape '\\" + e + "'", at);
      }
    }

    private Object number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      int intStart = pos;
      if (pos < len && s.charAt(pos) == '0') {
        pos++; // a leading zero stands alone: "01" is an error, as in Python
      } else if (pos < len && isDigit(s.charAt(pos))) {
        skipDigits();
      } else {
        throw expected("a digit");
      }
      int intDigits = pos - intStart;
      boolean isFloat = false;
      if (pos < len && s.charAt(pos) == '.') {
        pos++;
        if (pos >= len || !isDigit(s.charAt(pos))) {
          throw expected("a digit after '.'");
        }
        skipDigits();
        isFloat = true;
      }
      if (pos < len && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < len && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (pos >= len || !isDigit(s.charAt(pos))) {
          throw expected("an exponent digit");
        }
        skipDigits();
        isFloat = true;
      }
      if (isFloat) {
        return Double.parseDouble(s.substring(start, pos)); // correctly rounded, like Python's float()
      }
      if (intDigits <= 18) { // always fits in a long
        long v = 0;
        for (int i = intStart; i < pos; i++) {
          v = v * 10 + (s.charAt(i) - '0');
        }
        return start == intStart ? v : -v;
      }
      if (intDigits > MAX_INT_DIGITS) {
        throw new SyntaxError("integer with more than " + MAX_INT_DIGITS + " digits", start);
      }
      BigInteger big = new BigInteger(s.substring(start, pos));
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private void skipDigits() {
      while (pos < len && isDigit(s.charAt(pos))) {
        pos++;
      }
    }

    private static int hexValue(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return -1;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** Python {@code json.dumps(value, sort_keys=True, separators=(",", ":"))}: the hashed form. */
  public static String canonical(Object value) {
    StringBuilder out = new StringBuilder(128);
    canonical(value, out);
    return out.toString();
  }

  public static void canonical(Object value, StringBuilder out) {
    write(value, out, true, 0);
  }

  /** Python {@code json.dumps(value)} with defaults: the stored meta text. */
  public static String dumps(Object value) {
    StringBuilder out = new StringBuilder(128);
    dumps(value, out);
    return out.toString();
  }

  public static void dumps(Object value, StringBuilder out) {
    write(value, out, false, 0);
  }

  private static void write(Object v, StringBuilder out, boolean canonical, int depth) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      writeString(s, out);
    } else if (v instanceof Map<?, ?> m) {
      writeObject(m, out, canonical, depth + 1);
    } else if (v instanceof List<?> l) {
      writeArray(l, out, canonical, depth + 1);
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      out.append(((Number) v).longValue());
    } else if (v instanceof Double d) {
      writeFloat(d, out);
    } else if (v instanceof BigInteger) {
      out.append(v);
    } else if (v instanceof Float f) {
      writeFloat(f, out);
    } else if (v instanceof BigDecimal bd) {
      writeFloat(bd.doubleValue(), out); // Python has no decimal JSON type; json sees floats
    } else if (v instanceof Object[] a) {
      writeArray(Arrays.asList(a), out, canonical, depth + 1);
    } else {
      throw new IllegalArgumentException(
          "Object of type " + v.getClass().getName() + " is not JSON serializable");
    }
  }

  private static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "nesting deeper than " + MAX_DEPTH + " (or a reference cycle)");
    }
  }

  private static void writeObject(Map<?, ?> m, StringBuilder out, boolean canonical, int depth) {
    checkDepth(depth);
    if (m.isEmpty()) {
      out.append("{}");
      return;
    }
    String[] keys = new String[m.size()];
    int i = 0;
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException("JSON object keys must be strings, got "
            + (k == null ? "null" : k.getClass().getName() + " " + k));
      }
      keys[i++] = (String) k;
    }
    if (canonical && keys.length > 1) {
      Arrays.sort(keys, CODE_POINT_ORDER);
    }
    out.append('{');
    for (i = 0; i < keys.length; i++) {
      if (i > 0) {
        out.append(canonical ? "," : ", ");
      }
      writeString(keys[i], out);
      out.append(canonical ? ":" : ": ");
      write(m.get(keys[i]), out, canonical, depth);
    }
    out.append('}');
  }

  private static void writeArray(List<?> l, StringBuilder out, boolean canonical, int depth) {
    checkDepth(depth);
    out.append('[');
    boolean first = true;
    for (Object item : l) {
      if (!first) {
        out.append(canonical ? "," : ", ");
      }
      first = false;
      write(item, out, canonical, depth);
    }
    out.append(']');
  }

  /**
   * Python's str order compares code points; String.compareTo compares UTF-16 units, which puts
   * astral characters (surrogates, D800..DFFF) before U+E000..U+FFFF instead of after.
   */
  static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
          return ca - cb;
        }
        // Step back if we are inside a pair so that both sides compare whole code points.
        int at = i > 0 && Character.isHighSurrogate(a.charAt(i - 1)) ? i - 1 : i;
        return Integer.compare(a.codePointAt(at), b.codePointAt(at));
      }
    }
    return a.length() - b.length();
  };

  /** ensure_ascii=True: only printable ASCII goes out raw. */
  static void writeString(String s, StringBuilder out) {
    out.append('"');
    int run = 0; // start of the pending raw stretch, appended in one go
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
          out.append("\\u")
              .append(HEX[c >>> 12])
              .append(HEX[(c >>> 8) & 0xf])
              .append(HEX[(c >>> 4) & 0xf])
              .append(HEX[c & 0xf]);
      }
    }
    out.append(s, run, len);
    out.append('"');
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** json's float spelling: repr, except the non-finite values use JavaScript's names. */
  private static void writeFloat(double d, StringBuilder out) {
    if (Double.isNaN(d)) {
      out.append("NaN");
    } else if (Double.isInfinite(d)) {
      out.append(d > 0 ? "Infinity" : "-Infinity");
    } else {
      appendFiniteRepr(d, out);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Python float repr

  /**
   * Python {@code repr(float)} (the same as {@code str(float)}): {@code nan}, {@code inf},
   * {@code -inf} for the non-finite values; JSON writing spells those NaN / Infinity instead.
   */
  public static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    StringBuilder out = new StringBuilder(24);
    appendFiniteRepr(d, out);
    return out.toString();
  }

  private static final long LARGEST_15_DIGITS = 999_999_999_999_999L;

  private static final double[] EXACT_POW10 = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private static void appendFiniteRepr(double d, StringBuilder out) {
    if (d == 0) {
      out.append(Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0");
      return;
    }
    if (d < 0) {
      out.append('-');
      d = -d;
    }
    // Python prints the shortest decimal that reads back as d, and of those the nearest to d.
    // Java 17's Double.toString always reads back but is sometimes longer than needed, or not the
    // nearest, so its digits are taken only where that is provably right; the rest is searched
    // exactly, with Java's last digit position as the starting guess.
    String javaText = Double.toString(d);
    long digits = 0;
    int exp10 = 0; // value = digits * 10^exp10
    int significant = 0;
    boolean afterPoint = false;
    for (int i = 0; i < javaText.length(); i++) {
      char c = javaText.charAt(i);
      if (c == '.') {
        afterPoint = true;
      } else if (c == 'E') {
        exp10 += Integer.parseInt(javaText, i + 1, javaText.length(), 10);
        break;
      } else if (significant < 18) { // beyond that, digits only matter to the exact search
        digits = digits * 10 + (c - '0');
        significant += digits == 0 ? 0 : 1;
        exp10 -= afterPoint ? 1 : 0;
      } else {
        exp10 += afterPoint ? 0 : 1;
      }
    }
    while (digits % 10 == 0) {
      digits /= 10;
      exp10++;
    }
    // For a normal double, the read-back interval is narrower than the gap between 15-digit
    // decimals, so a <= 15 digit string that reads back is the only one of its length and no
    // shorter one exists. Subnormals have less precision; 16 and 17 digits can have rivals.
    if (digits <= LARGEST_15_DIGITS && d >= Double.MIN_NORMAL
        && readsBack(digits, exp10, d, javaText)) {
      formatRepr(digits, exp10, out);
    } else {
      new ReadBackInterval(d).appendShortest(exp10, out);
    }
  }

  private static boolean readsBack(long digits, int exp10, double d, String text) {
    if (exp10 >= -22 && exp10 <= 22) {
      // digits < 2^53 and 10^|exp10| are exact doubles, so one IEEE operation rounds correctly.
      double v = exp10 >= 0 ? digits * EXACT_POW10[exp10] : digits / EXACT_POW10[-exp10];
      return v == d;
    }
    return Double.parseDouble(text) == d;
  }

  private static final BigInteger[] POW10 = new BigInteger[400];
  private static final long[] LONG_POW10 = new long[19];

  static {
    POW10[0] = BigInteger.ONE;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1].multiply(BigInteger.TEN);
    }
    for (int i = 0; i < LONG_POW10.length; i++) {
      LONG_POW10[i] = POW10[i].longValueExact();
    }
  }

  /**
   * The decimals that read back as a positive finite double d, in exact integer arithmetic. A
   * multiple of 10^k that reads back is also a multiple of 10^(k-1), so the shortest answer is at
   * the largest k where one exists.
   */
  private static final class ReadBackInterval {
    // d is mid * 2^exp2; the interval reaches downReach * 2^exp2 below it and 2 * 2^exp2 above.
    private final long mid;
    private final long downReach;
    private final int exp2;
    private final boolean endsReadBack;

    ReadBackInterval(double d) {
      long bits = Double.doubleToRawLongBits(d);
      int biasedExp = (int) (bits >>> 52);
      long fraction = bits & ((1L << 52) - 1);
      long m = biasedExp == 0 ? fraction : fraction | (1L << 52);
      exp2 = Math.max(biasedExp, 1) - 1075 - 2;
      mid = 4 * m;
      // Just above a power of two the doubles below are twice as dense, so that half-gap halves.
      downReach = fraction == 0 && biasedExp > 1 ? 1 : 2;
      endsReadBack = (m & 1) == 0; // a tie rounds to the even mantissa
    }

    /** Finds Python's digits, starting the search at multiples of 10^startK. */
    void appendShortest(int startK, StringBuilder out) {
      int k = startK;
      long q = nearestMultiple(k);
      while (q < 0) { // the start was too coarse (not expected from Double.toString): go finer
        q = nearestMultiple(--k);
      }
      for (long shorter; (shorter = nearestMultiple(k + 1)) >= 0; k++) {
        q = shorter;
      }
      formatRepr(q, k, out);
    }

    /**
     * Of the multiples q * 10^k on either side of d, the one that reads back, preferring the
     * nearer (ties to the even q, as David Gay's dtoa behind Python's repr does); -1 if neither
     * reads back. No other multiple can: the interval is convex and contains d.
     */
    long nearestMultiple(int k) {
      // With d = mid * 2^exp2 = (below + r / unit) * 10^k: r is the gap down to below * 10^k and
      // unit - r the gap up, both counted in 10^k / unit.
      int shift = -exp2;
      if (k <= 0 && k >= -18 && shift >= 1 && shift <= 62) {
        // The usual magnitudes (about 5e-4 to 4e15): unit is 2^shift and a 128-bit product will do.
        long p = LONG_POW10[-k];
        long hi = Math.multiplyHigh(mid, p);
        long lo = mid * p;
        if (hi >>> (shift - 1) == 0) { // below fits in a long
          long below = (hi << (64 - shift)) | (lo >>> shift);
          long r = lo & ((1L << shift) - 1);
          long up = (1L << shift) - r;
          return choose(below, r == 0, Long.compare(r, up),
              Long.compare(r, downReach * p), Long.compare(up, 2 * p));
        }
      }
      BigInteger unit = k > 0 ? POW10[k] : BigInteger.ONE;
      if (exp2 < 0) {
        unit = unit.shiftLeft(-exp2);
      }
      BigInteger[] belowAndR = scaled(mid, k).divideAndRemainder(unit);
      BigInteger r = belowAndR[1];
      BigInteger up = unit.subtract(r);
      return choose(belowAndR[0].longValueExact(), r.signum() == 0, r.compareTo(up),
          r.compareTo(scaled(downReach, k)), up.compareTo(scaled(2, k)));
    }

    /** x * 2^exp2 / 10^k, times unit: an integer. */
    private BigInteger scaled(long x, int k) {
      BigInteger v = BigInteger.valueOf(x);
      if (exp2 > 0) {
        v = v.shiftLeft(exp2);
      }
      return k < 0 ? v.multiply(POW10[-k]) : v;
    }

    /** The arguments compare the gap down with the gap up, and each gap with the reach. */
    private long choose(long below, boolean exact, int downVsUp, int downVsReach, int upVsReach) {
      if (exact) {
        return below;
      }
      boolean belowReadsBack = downVsReach < 0 || (downVsReach == 0 && endsReadBack);
      boolean aboveReadsBack = upVsReach < 0 || (upVsReach == 0 && endsReadBack);
      boolean aboveIsNearer = downVsUp > 0 || (downVsUp == 0 && (below & 1) == 1);
      if (aboveIsNearer) {
        return aboveReadsBack ? below + 1 : belowReadsBack ? below : -1;
      }
      return belowReadsBack ? below : aboveReadsBack ? below + 1 : -1;
    }
  }

  /** Python's layout: fixed notation for decimal exponents -4..15, else d.ddde+XX. */
  private static void formatRepr(long digits, int exp10, StringBuilder out) {
    String ds = Long.toString(digits);
    int n = ds.length();
    int x = exp10 + n - 1; // value = d.ddd * 10^x
    if (x >= -4 && x < 16) {
      if (x < 0) {
        out.append("0.");
        appendZeros(out, -x - 1);
        out.append(ds);
      } else if (x >= n - 1) {
        out.append(ds);
        appendZeros(out, x - (n - 1));
        out.append(".0");
      } else {
        out.append(ds, 0, x + 1).append('.').append(ds, x + 1, n);
      }
    } else {
      out.append(ds.charAt(0));
      if (n > 1) {
        out.append('.').append(ds, 1, n);
      }
      out.append(x < 0 ? "e-" : "e+");
      int ax = Math.abs(x);
      if (ax < 10) {
        out.append('0');
      }
      out.append(ax);
    }
  }

  private static void appendZeros(StringBuilder out, int count) {
    for (int i = 0; i < count; i++) {
      out.append('0');
    }
  }

  private static int digitCount(long v) {
    int n = 1;
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }
}
