package dev.pmm.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * floatRepr against CPython's own repr for ~21,000 doubles (python-float-repr.tsv, written by
 * gen-python-float-repr.py next to it).
 */
class PythonFloatReprTest {

  @Test
  void matchesPythonReprForEveryRecordedDouble() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (InputStream in = getClass().getResourceAsStream("/python-float-repr.tsv")) {
      assertTrue(in != null, "test resource python-float-repr.tsv is missing");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          continue;
        }
        int tab = line.indexOf('\t');
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, tab), 16));
        String expected = line.substring(tab + 1);
        String actual = PyJson.floatRepr(d);
        if (!expected.equals(actual) && mismatches.size() < 20) {
          mismatches.add(line.substring(0, tab) + ": python " + expected + ", java " + actual);
        }
        checked++;
      }
    }
    assertTrue(checked > 20_000, "only " + checked + " lines read");
    assertEquals(List.of(), mismatches);
  }

  @Test
  void nonFiniteValuesUsePythonReprNotJsonNames() {
    assertEquals("nan", PyJson.floatRepr(Double.NaN));
    assertEquals("inf", PyJson.floatRepr(Double.POSITIVE_INFINITY));
    assertEquals("-inf", PyJson.floatRepr(Double.NEGATIVE_INFINITY));
    assertEquals("[NaN,Infinity,-Infinity]", PyJson.canonical(
        List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
  }
}
