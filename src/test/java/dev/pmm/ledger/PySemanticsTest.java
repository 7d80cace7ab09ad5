package dev.pmm.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Python builtins the folds rely on; expected values were printed by CPython 3.11. */
class PySemanticsTest {

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
  void floatAndIntAcceptUnicodeDecimalDigits() {
    assertEquals(12.5, Py.toFloat("\u0661\u0662.\u0665")); // Arabic-Indic
    assertEquals(12.0, Py.toFloat("\uff11\uff12")); // fullwidth
    assertEquals(12, Py.intOrZero("\u0661\u0662"));
    assertNull(Py.toFloat("\u00b2"), "a superscript is a digit but not a decimal one");
    assertNull(Py.toFloat("1\u00a02"), "a space inside the number");
  }

  @Test
  void orZeroConversionsGiveZeroWherePythonRaises() {
    assertEquals(-2.5, Py.floatOrZero(" -2.5 "));
    for (Object bad : new Object[] {"high", null, List.of(1L), BigInteger.TEN.pow(400)}) {
      assertEquals(0.0, Py.floatOrZero(bad), "float(" + bad + ")");
    }
    assertEquals(-3, Py.intOrZero(-3.9));
    assertEquals(1000, Py.intOrZero(" 1_000 "));
    assertEquals(1, Py.intOrZero(true));
    assertEquals(Long.MAX_VALUE, Py.intOrZero(BigInteger.TEN.pow(30)), "saturates");
    for (Object bad : new Object[] {"1.5", Double.NaN, Double.POSITIVE_INFINITY, null, Map.of()}) {
      assertEquals(0, Py.intOrZero(bad), "int(" + bad + ")");
    }
  }

  @Test
  void clampAndDictKeysMatchPython() {
    assertEquals(1.0, Py.clamp01(Double.NaN));
    assertEquals(0.0, Py.clamp01(-0.0)); // +0.0: assertEquals tells the zeros apart
    assertEquals(0.25, Py.clamp01(0.25));
    assertEquals(1.0, Py.clamp01(7.0));
    assertEquals(Py.dictKey(1L), Py.dictKey(1.0));
    assertEquals(Py.dictKey(1L), Py.dictKey(true));
    assertEquals(Py.dictKey(BigInteger.TWO.pow(64)), Py.dictKey(1.8446744073709552e19));
    assertNotEquals(Py.dictKey("5"), Py.dictKey(5L));
    assertNull(Py.dictKey(List.of()));
    assertNull(Py.dictKey(Map.of()));
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
