package dev.pmm.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PyJson.canonical / dumps against output captured from CPython 3.11's json module. */
class PyJsonCanonicalTest {

  private static final String TS = "2025-10-04T12:00:00.123456+00:00";

  /** The reference meta, in Python insertion order: {b:1.0, a:[1,2.5,1e-05,1e16], z:null, t:true}. */
  private static Map<String, Object> referenceMeta() {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("b", 1.0);
    meta.put("a", Arrays.asList(1L, 2.5, 1e-05, 1e16));
    meta.put("z", null);
    meta.put("t", true);
    return meta;
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  @Test
  void referenceVectorCanonicalText() {
    Map<String, Object> payload = map("id", 1L, "ts", TS, "kind", "user", "content", "héllo 😀",
        "meta", referenceMeta(), "prev_hash", null);
    assertEquals("{\"content\":\"h\\u00e9llo \\ud83d\\ude00\",\"id\":1,\"kind\":\"user\","
            + "\"meta\":{\"a\":[1,2.5,1e-05,1e+16],\"b\":1.0,\"t\":true,\"z\":null},"
            + "\"prev_hash\":null,\"ts\":\"2025-10-04T12:00:00.123456+00:00\"}",
        PyJson.canonical(payload));
    // HashRule writes the same text without building a map.
    assertEquals(PyJson.canonical(payload),
        HashRule.PMM_2025.payload(1, TS, "user", "héllo 😀", referenceMeta(), null));
  }

  @Test
  void referenceVectorHashChain() {
    String first = HashRule.PMM_2025.hash(1, TS, "user", "héllo 😀", referenceMeta(), null);
    assertEquals("c452bb4343697410f911f458451f83836b1abd922ef12429ba204e0ae23a131b", first);
    String second = HashRule.PMM_2025.hash(2, TS, "user", "", Map.of(), first);
    assertEquals("c16a3f135dc7764f057e7b424ba0be7f076d0aa42519be2d0b6e044144aedf1f", second);
    // A null meta is stored and hashed as {}.
    assertEquals(second, HashRule.PMM_2025.hash(2, TS, "user", "", null, first));
    assertEquals(second, HashRule.PMM_2025.hash(new Event(2, TS, "user", "", Map.of(), first, null)));
  }

  @Test
  void referenceVectorStoredMetaText() {
    assertEquals("{\"b\": 1.0, \"a\": [1, 2.5, 1e-05, 1e+16], \"z\": null, \"t\": true}",
        PyJson.dumps(referenceMeta()));
  }

  @Test
  void hashRuleNames() {
    assertEquals("pmm-2025", HashRule.PMM_2025.ruleName());
    assertEquals("pmm-v1", HashRule.PMM_V1.ruleName());
    assertEquals(HashRule.PMM_V1, HashRule.fromName("pmm-v1"));
    assertEquals(HashRule.PMM_2025, HashRule.fromName("pmm-2025"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HashRule.fromName("pmm-2024"));
    assertTrue(e.getMessage().contains("pmm-2024"), e.getMessage());
  }

  @Test
  void nonAsciiIsEscapedWithLowercaseHex() {
    assertEquals("\"h\\u00e9llo w\\u00f6rld \\u00fc\\u20ac \\u00f1\"",
        PyJson.canonical("héllo wörld ü€ ñ"));
    assertEquals("\"\\ud83d\\ude00\"", PyJson.canonical("😀"));
    // Lone surrogates (possible after parsing "\ud800") are written back as they came.
    assertEquals("\"\\ud800x\\udfff\"", PyJson.canonical("\ud800x\udfff"));
  }

  @Test
  void controlCharactersQuotesAndSlash() {
    assertEquals("\"\\u0000\\u001f\\u007f\\n\\t\\r\\b\\f\\\"\\\\/ \\u0080\\u2028\"",
        PyJson.canonical("\u0000\u001f\u007f\n\t\r\b\f\"\\/ \u0080\u2028"));
    assertEquals("\" ~\"", PyJson.canonical(" ~"));
  }

  @Test
  void keysSortByCodePointNotUtf16Unit() {
    String[] keys = {"\ue000", "😀", "a", "\u00ff", "\uffff", "\ud7ff", "B", "aa", ""};
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], (long) i);
    }
    // String.compareTo would put the astral 😀 (surrogates D83D DE00) before U+E000.
    assertEquals("{\"\":8,\"B\":6,\"a\":2,\"aa\":7,\"\\u00ff\":3,\"\\ud7ff\":5,\"\\ue000\":0,"
        + "\"\\uffff\":4,\"\\ud83d\\ude00\":1}", PyJson.canonical(m));
  }

  @Test
  void codePointOrderHandlesPairsAndLoneSurrogates() {
    assertTrue(PyJson.CODE_POINT_ORDER.compare("x😀", "x\uffff") > 0);
    assertTrue(PyJson.CODE_POINT_ORDER.compare("\ud83d\ude00", "\ud83d\ude01") < 0);
    // Same high surrogate, then a pair vs a lone one followed by 'A': U+1F600 > U+D83D.
    assertTrue(PyJson.CODE_POINT_ORDER.compare("\ud83d\ude00", "\ud83dA") > 0);
    assertTrue(PyJson.CODE_POINT_ORDER.compare("\ud800", "\ue000") < 0);
    assertTrue(PyJson.CODE_POINT_ORDER.compare("ab", "abc") < 0);
    assertEquals(0, PyJson.CODE_POINT_ORDER.compare("😀", "😀"));
  }

  @Test
  void keysAreSortedRecursivelyButArraysKeepOrder() {
    Map<String, Object> inner = map("y", new ArrayList<>(), "x", new HashMap<>());
    Map<String, Object> value = map("z", map("b", List.of(1L, inner), "a", List.of(List.of(List.of()))),
        "a", Map.of());
    assertEquals("{\"a\":{},\"z\":{\"a\":[[[]]],\"b\":[1,{\"x\":{},\"y\":[]}]}}",
        PyJson.canonical(value));
    Map<String, Object> spaced = new LinkedHashMap<>(value);
    spaced.put("s", "é");
    assertEquals("{\"z\": {\"b\": [1, {\"y\": [], \"x\": {}}], \"a\": [[[]]]}, \"a\": {}, \"s\": \"\\u00e9\"}",
        PyJson.dumps(spaced));
  }

  @Test
  void emptyContainersAndScalars() {
    assertEquals("{}", PyJson.canonical(Map.of()));
    assertEquals("[]", PyJson.canonical(List.of()));
    assertEquals("{}", PyJson.dumps(Map.of()));
    assertEquals("[[]]", PyJson.dumps(List.of(List.of())));
    assertEquals("null", PyJson.canonical(null));
    assertEquals("true", PyJson.canonical(true));
    assertEquals("false", PyJson.dumps(false));
    assertEquals("\"\"", PyJson.canonical(""));
  }

  @Test
  void floatsPrintAsPythonRepr() {
    List<Object> floats = List.of(0.8899999999999999, 1e-05, 1e16, 1e15, -0.0, 5e-324,
        1.7976931348623157e308, 0.1 + 0.2, 1e22, 1e23, 123456789012345680.0, 0.0001, 0.00001,
        1.5e-07, 100.0, 2.5);
    assertEquals("[0.8899999999999999,1e-05,1e+16,1000000000000000.0,-0.0,5e-324,"
        + "1.7976931348623157e+308,0.30000000000000004,1e+22,1e+23,1.2345678901234568e+17,"
        + "0.0001,1e-05,1.5e-07,100.0,2.5]", PyJson.canonical(floats));
    assertEquals("0.7999999999999999", PyJson.floatRepr(0.1 + 0.7));
    assertEquals("0.0", PyJson.floatRepr(0.0));
    assertEquals("9999999999999998.0", PyJson.floatRepr(9999999999999998.0));
  }

  @Test
  void integersArePrintedExactly() {
    BigInteger twoTo64Plus1 = BigInteger.TWO.pow(64).add(BigInteger.ONE);
    List<Object> ints = List.of(twoTo64Plus1, Long.MIN_VALUE,
        BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE), Long.MAX_VALUE,
        BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
    assertEquals("[18446744073709551617,-9223372036854775808,-9223372036854775809,"
        + "9223372036854775807,9223372036854775808]", PyJson.canonical(ints));
  }

  @Test
  void otherJavaNumberTypesAndArrays() {
    Object[] array = {7, (short) 3, (byte) -1, 0.5f, new BigDecimal("2.50"), 0.1f};
    // A Float widens exactly, so 0.1f prints its full binary value as Python would.
    assertEquals("[7,3,-1,0.5,2.5,0.10000000149011612]", PyJson.canonical(array));
  }

  @Test
  void rejectsWhatPythonCannotSerializeOrWeDoNotAllow() {
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> PyJson.canonical(List.of(new Object())));
    assertTrue(type.getMessage().contains("java.lang.Object"), type.getMessage());

    Map<Object, Object> intKey = new HashMap<>();
    intKey.put(1, "x");
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> PyJson.canonical(intKey));
    assertTrue(key.getMessage().contains("java.lang.Integer"), key.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PyJson.dumps(intKey));

    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThrows(IllegalArgumentException.class, () -> PyJson.canonical(cycle));
  }

  @Test
  void writesIntoAGivenBuilder() {
    StringBuilder out = new StringBuilder("x=");
    PyJson.canonical(map("b", 1L, "a", 2L), out);
    out.append(' ');
    PyJson.dumps(map("b", 1L, "a", 2L), out);
    assertEquals("x={\"a\":2,\"b\":1} {\"b\": 1, \"a\": 2}", out.toString());
  }
}
