package dev.pmm.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** README's configuration tables and the declaration list the same keys with the same defaults. */
class SettingDocsTest {

  private static final String HEADER = "| key | default | meaning |";
  private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

  private record Row(String key, String defaultText, String meaning) {}

  @Test
  void readmeListsEveryKeyWithItsDefault() throws IOException {
    Map<String, Row> documented = new LinkedHashMap<>();
    List<String> pointers = new ArrayList<>();
    for (Row row : rows()) {
      if (row.key().endsWith(".*")) {
        // "see below": another table lists these keys.
        pointers.add(row.key().substring(0, row.key().length() - 1));
      } else if (documented.put(row.key(), row) != null) {
        fail("README lists " + row.key() + " twice");
      }
    }
    StringBuilder expected = new StringBuilder();
    StringBuilder actual = new StringBuilder();
    for (Setting setting : Setting.values()) {
      expected.append(setting.key()).append(" = ").append(setting.defaultText()).append('\n');
    }
    documented.values().stream().sorted(java.util.Comparator.comparing(r -> Setting.byKey(r.key())
            .map(Enum::ordinal).orElse(Integer.MAX_VALUE)))
        .forEach(r -> actual.append(r.key()).append(" = ").append(r.defaultText()).append('\n'));
    assertEquals(expected.toString(), actual.toString(), "README's tables (right) against Setting (left)");
    for (String prefix : pointers) {
      assertTrue(documented.keySet().stream().anyMatch(k -> k.startsWith(prefix)), prefix + "* points at no table");
    }
  }

  @Test
  void readmeNamesEachShortCommandLineOption() throws IOException {
    Map<String, Row> documented = new LinkedHashMap<>();
    rows().forEach(r -> documented.put(r.key(), r));
    for (Setting setting : Setting.values()) {
      String option = setting.rule().option();
      if (option != null) {
        String meaning = documented.get(setting.key()).meaning();
        assertTrue(meaning.contains("`--" + option + "`"), setting.key() + ": " + meaning);
      }
    }
  }

  /** The rows of every table headed "key | default | meaning" in README.md. */
  private static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.strip().equals(HEADER)) {
        inTable = true;
      } else if (!line.startsWith("|")) {
        inTable = false;
      } else if (inTable && !line.startsWith("|---")) {
        String[] cells = line.split("\\|", 4);
        Matcher key = FIRST_CODE.matcher(cells[1]);
        assertTrue(key.find(), "a README row without a `key`: " + line);
        String defaultText = cells[2].strip().replace("`", "");
        rows.add(new Row(key.group(1), defaultText, cells[3]));
      }
    }
    assertTrue(rows.size() > 10, "README's configuration tables were not found");
    return rows;
  }
}
