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
  void matchesPythonReprForHandPickedDoubles() {
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
      assertEquals(c[1], PyJson.floatRepr((Double) c[0]));
    }
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
