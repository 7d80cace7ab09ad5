package dev.pmm.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** PyJson.parse behaves like Python's json.loads (messages are ours, acceptance is Python's). */
class PyJsonParseTest {

  @Test
  void integersAreLongUntilTheyDoNotFit() {
    assertEquals(1L, PyJson.parse("1"));
    assertEquals(0L, PyJson.parse("-0"));
    assertEquals(123456789012345678L, PyJson.parse("123456789012345678"));
    assertEquals(Long.MAX_VALUE, PyJson.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, PyJson.parse("-9223372036854775808"));
    assertEquals(new BigInteger("9223372036854775808"), PyJson.parse("9223372036854775808"));
    assertEquals(new BigInteger("-9223372036854775809"), PyJson.parse("-9223372036854775809"));
    assertEquals(BigInteger.TWO.pow(64).add(BigInteger.ONE), PyJson.parse("18446744073709551617"));
  }

  @Test
  void anyFractionOrExponentMakesADouble() {
    assertEquals(1.0, PyJson.parse("1.0"));
    assertEquals(100.0, PyJson.parse("1e2"));
    assertEquals(100.0, PyJson.parse("1E+2"));
    assertEquals(0.01, PyJson.parse("1e-2"));
    assertEquals(0.8899999999999999, PyJson.parse("0.8899999999999999"));
    Object negativeZero = PyJson.parse("-0.0");
    assertInstanceOf(Double.class, negativeZero);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) negativeZero));
    assertEquals(Double.POSITIVE_INFINITY, PyJson.parse("1e400")); // float('1e400') is inf too
  }

  @Test
  void literalsIncludingPythonsNonFiniteExtensions() {
    assertEquals(true, PyJson.parse("true"));
    assertEquals(false, PyJson.parse("false"));
    assertNull(PyJson.parse(" null "));
    assertTrue(Double.isNaN((Double) PyJson.parse("NaN")));
    assertEquals(Double.POSITIVE_INFINITY, PyJson.parse("Infinity"));
    assertEquals(Double.NEGATIVE_INFINITY, PyJson.parse("-Infinity"));
    assertEquals(Arrays.asList(Double.NEGATIVE_INFINITY, null), PyJson.parse("[-Infinity,null]"));
  }

  @Test
  void objectsKeepInsertionOrderAndDuplicateKeysActLikeADict() {
    Map<?, ?> m = (Map<?, ?>) PyJson.parse("{\"b\":1,\"a\":2,\"c\":3}");
    assertInstanceOf(LinkedHashMap.class, m);
    assertEquals(List.of("b", "a", "c"), new ArrayList<>(m.keySet()));

    Map<?, ?> dup = (Map<?, ?>) PyJson.parse("{\"a\":1,\"b\":2,\"a\":3}");
    assertEquals(List.of("a", "b"), new ArrayList<>(dup.keySet()));
    assertEquals(3L, dup.get("a"));
  }

  @Test
  void containersAndWhitespace() {
    Object v = PyJson.parse(" \t\n\r{ \"a\" : [ 1 , { } , [ ] ] }\r\n");
    assertEquals(Map.of("a", List.of(1L, Map.of(), List.of())), v);
    assertInstanceOf(ArrayList.class, ((Map<?, ?>) v).get("a"));
  }

  @Test
  void escapesAndSurrogates() {
    assertEquals("\"\\/\b\f\n\r\té😀",
        PyJson.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
    assertEquals("é😀 raw", PyJson.parse("\"é😀 raw\""));
    // Lone surrogates survive, as in Python, and write back unchanged.
    assertEquals("\ud800", PyJson.parse("\"\\ud800\""));
    assertEquals("\udc00A", PyJson.parse("\"\\udc00\\u0041\""));
    assertEquals("\"\\ud800\"", PyJson.canonical(PyJson.parse("\"\\ud800\"")));
    assertEquals("\u007f", PyJson.parse("\"\u007f\"")); // DEL is not a control character here
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``                  | 0 | unexpected end of input, expected a value",
      "`[1, 2`             | 5 | unexpected end of input, expected ',' or ']'",
      "`{\"a\":1`          | 6 | unexpected end of input, expected ',' or '}'",
      "`{\"a\" 1}`         | 5 | expected ':'",
      "`{\"a\"`            | 4 | unexpected end of input, expected ':'",
      "`[1] x`             | 4 | extra data after the value",
      "`01`                | 1 | extra data after the value",
      "`[01]`              | 2 | expected ',' or ']'",
      "`-`                 | 1 | unexpected end of input, expected a digit",
      "`-NaN`              | 1 | expected a digit",
      "`1.`                | 2 | unexpected end of input, expected a digit after '.'",
      "`1.e5`              | 2 | expected a digit after '.'",
      "`1e+`               | 3 | unexpected end of input, expected an exponent digit",
      "`.5`                | 0 | expected a value",
      "`+1`                | 0 | expected a value",
      "`[1,]`              | 3 | expected a value",
      "`{\"a\":1,}`        | 7 | expected a string key",
      "`{'a':1}`           | 1 | expected a string key",
      "`tru`               | 0 | expected a value",
      "`Infinityx`         | 8 | extra data after the value",
      "`\"abc`             | 0 | unterminated string starting",
      "`\"ab\\`            | 0 | unterminated string starting",
      "`\"a\\x\"`          | 2 | invalid escape '\\x'",
      "`\"\\u12G4\"`       | 1 | invalid \\uXXXX escape",
      "`\"\\u12\"`         | 1 | invalid \\uXXXX escape",
      "`\u00a01`           | 0 | expected a value",
      "`\ufeff1`           | 0 | expected a value",
  })
  void errorsNameTheProblemAndOffset(String text, int offset, String problem) {
    PyJson.SyntaxError e = assertThrows(PyJson.SyntaxError.class, () -> PyJson.parse(text));
    assertEquals(problem + " at offset " + offset, e.getMessage());
    assertEquals(offset, e.offset());
    assertInstanceOf(IllegalArgumentException.class, e);
  }

  @Test
  void rawControlCharactersInStringsAreErrors() {
    PyJson.SyntaxError e = assertThrows(PyJson.SyntaxError.class, () -> PyJson.parse("\"a\nb\""));
    assertEquals("invalid control character U+000A in string at offset 2", e.getMessage());
    assertThrows(PyJson.SyntaxError.class, () -> PyJson.parse("\"\u0000\""));
  }

  @Test
  void hugeIntegersAreRefusedLikePython311() {
    String limit = "7".repeat(4300);
    assertEquals(new BigInteger(limit), PyJson.parse(limit));
    PyJson.SyntaxError e = assertThrows(PyJson.SyntaxError.class,
        () -> PyJson.parse("[-" + "7".repeat(4301) + "]"));
    assertEquals("integer with more than 4300 digits at offset 1", e.getMessage());
  }

  @Test
  void nestingIsLimitedSoHostileInputCannotOverflowTheStack() {
    String ok = "[".repeat(PyJson.MAX_DEPTH) + "]".repeat(PyJson.MAX_DEPTH);
    assertInstanceOf(List.class, PyJson.parse(ok));

    PyJson.SyntaxError bomb = assertThrows(PyJson.SyntaxError.class,
        () -> PyJson.parse("[".repeat(100_000)));
    assertEquals("nesting deeper than 512 at offset 512", bomb.getMessage());

    String objects = "{\"a\":".repeat(PyJson.MAX_DEPTH + 1);
    PyJson.SyntaxError objectBomb = assertThrows(PyJson.SyntaxError.class,
        () -> PyJson.parse(objects));
    assertEquals(PyJson.MAX_DEPTH * 5, objectBomb.offset());
  }

  @Test
  void parseOfCanonicalAndDumpsGivesTheValueBack() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("z", Arrays.asList(1L, -0.0, 1e-05, 1e16, 0.30000000000000004, null, true, false));
    value.put("é😀\ue000", "\u0000\u001f\u007f\"\\/ \ud800");
    value.put("big", BigInteger.TWO.pow(70).negate());
    value.put("nested", Map.of("x", List.of(Map.of(), List.of()), "y", Long.MIN_VALUE));
    value.put("", 5e-324);
    assertEquals(value, PyJson.parse(PyJson.canonical(value)));
    assertEquals(value, PyJson.parse(PyJson.dumps(value)));
    // dumps keeps insertion order, so its text survives a round trip byte for byte.
    assertEquals(PyJson.dumps(value), PyJson.dumps(PyJson.parse(PyJson.dumps(value))));
    String canonical = PyJson.canonical(value);
    assertEquals(canonical, PyJson.canonical(PyJson.parse(canonical)));
  }
}
