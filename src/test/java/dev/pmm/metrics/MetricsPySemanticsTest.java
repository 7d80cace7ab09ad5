package dev.pmm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The Python builtins the metrics rely on; expected values were printed by CPython 3.11. (The
 * float repr was also checked once against CPython on every power of two and 300,000 random
 * doubles.)
 */
class MetricsPySemanticsTest {

  @Test
  void floatReprMatchesPython() {
    Object[][] cases = {
        {0.1, "0.1"}, {1e16, "1e+16"}, {1e-5, "1e-05"}, {0.0001, "0.0001"},
        {1234567890123456.0, "1234567890123456.0"}, {12345678901234567.0, "1.2345678901234568e+16"},
        {1.5, "1.5"}, {-0.0, "-0.0"}, {100.0, "100.0"}, {2e23, "2e+23"}, {5e-324, "5e-324"},
        {Double.MAX_VALUE, "1.7976931348623157e+308"}, {0.1 + 0.2, "0.30000000000000004"},
        {123.456, "123.456"}, {1e22, "1e+22"}, {9.999999999999999e-5, "9.999999999999999e-05"},
        {Double.POSITIVE_INFINITY, "inf"}, {Double.NaN, "nan"},
        // Powers of two, where the nearest 16-digit decimal is not the one that reads back.
        {Math.scalb(1.0, -1017), "7.120236347223045e-307"},
        {Math.scalb(1.0, -921), "5.641232424577593e-278"},
    };
    for (Object[] c : cases) {
      assertEquals(c[1], Py.reprFloat((Double) c[0]));
    }
  }

  @Test
  void strOfJsonValuesMatchesPython() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("k", "it's");
    assertEquals("['a', 1, 1.0, None, True, {'k': \"it's\"}]",
        Py.str(Arrays.asList("a", 1L, 1.0, null, true, inner)));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("a", List.of(1L, 2L));
    d.put("b", "x\"y");
    d.put("c", "a'b\"c");
    d.put("d", "\n\t\u0001\u007f\u00a0\u2028\u00e9\uD83D\uDE00");
    assertEquals("{'a': [1, 2], 'b': 'x\"y', 'c': 'a\\'b\"c', "
        + "'d': '\\n\\t\\x01\\x7f\\xa0\\u2028\u00e9\uD83D\uDE00'}", Py.str(d));
    assertEquals("True", Py.str(true));
    assertEquals("12345678901234567890", Py.str(new BigInteger("12345678901234567890")));
    assertEquals("plain", Py.str("plain"));
  }

  @Test
  void floatConversionMatchesPython() {
    Object[][] ok = {
        {" 1.5 ", 1.5}, {"1_000.5", 1000.5}, {"1e5", 1e5}, {".5", 0.5}, {"5.", 5.0},
        {"inf", Double.POSITIVE_INFINITY}, {"-Infinity", Double.NEGATIVE_INFINITY},
        {"nAn", Double.NaN}, {"1e400", Double.POSITIVE_INFINITY}, {"+.5e-3", 0.0005},
        {"\u00a01.5\u2003", 1.5}, {true, 1.0}, {false, 0.0}, {7L, 7.0},
        {BigInteger.TEN, 10.0}, {0.25, 0.25},
    };
    for (Object[] c : ok) {
      assertEquals((Double) c[1], Py.toFloat(c[0]), "float(" + c[0] + ")");
    }
    for (Object bad : new Object[] {"1__0", "_1", "0x10", "1.5f", "", " ", null, List.of(),
        Map.of(), BigInteger.TEN.pow(400)}) {
      assertNull(Py.toFloat(bad), "float(" + bad + ") raises in Python");
    }
  }

  @Test
  void stripLowerAndLenMatchPython() {
    assertEquals("ab", Py.strip("\u00a0\u2007\u202f\u0085\u001c ab \u3000"));
    assertEquals("i\u0307stanbul \u03c3\u03b1\u03c2",
        Py.norm("  \u0130STANBUL \u03a3\u0391\u03a3 "));
    assertEquals("", Py.norm(null));
    assertEquals("", Py.norm(42L), "no strip() on an int: the original's _norm_text gives ''");
    assertEquals(2, Py.len("a\uD83D\uDE00"));
  }

  @Test
  void truthinessMatchesPython() {
    for (Object falsy : new Object[] {null, "", 0L, 0.0, false, List.of(), Map.of(),
        BigInteger.ZERO}) {
      assertFalse(Py.truthy(falsy), String.valueOf(falsy));
    }
    for (Object truthy : new Object[] {" ", 1L, -0.5, Double.NaN, true, List.of(0L),
        Map.of("a", 1L)}) {
      assertTrue(Py.truthy(truthy), String.valueOf(truthy));
    }
    assertEquals("b", Py.or("", null, "b", "c"));
    assertEquals("", Py.or(null, 0L, ""));
  }
}
