package dev.pmm.cli;

import dev.pmm.ledger.HashRule;
import dev.pmm.ledger.PyJson;
import dev.pmm.support.CliRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pmm import against the real Python PMM ledgers and against files that are not ledgers. */
class ImportTest {

  private static final String GEMMA = "pmm-v1-gemma3-4b-ledger.json";
  private static final String COMMITMENTS = "pmm-2025-09-commitments_projects.db";
  private static final String REFLECTIONS = "pmm-2025-09-reflections_and_identity.db";

  @TempDir
  Path tmp;
  private final CommandLine commandLine = new CommandLine();

  private int pmm(String... args) {
    return commandLine.run(args);
  }

  private String out() {
    return commandLine.out();
  }


  private JsonObject importJson(Path file, Path data, String... more) {
    List<String> args = new ArrayList<>(List.of("import", file.toString(), "--data", data.toString(), "--json"));
    args.addAll(List.of(more));
    pmm(args.toArray(String[]::new));
    return new JsonObject(out().trim());
  }

  private static List<String> breaks(JsonObject report) {
    List<String> list = new ArrayList<>();
    for (Object b : report.getJsonArray("breaks")) {
      JsonObject br = (JsonObject) b;
      list.add(br.getLong("id") + ":" + br.getString("reason"));
    }
    return list;
  }

  private void assertVerifiesAndSnapshots(Path data, long events) {
    assertEquals(0, pmm("verify", "--data", data.toString(), "--json"), commandLine.err());
    JsonObject verify = new JsonObject(out());
    assertEquals(true, verify.getBoolean("ok"));
    assertEquals(events, verify.getLong("events"));
    assertEquals("pmm-2025", verify.getString("hash_rule"));
    assertEquals(0, pmm("snapshot", "--data", data.toString()), commandLine.err());
    assertTrue(new JsonObject(out()).size() > 0);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> parse(Path file) throws Exception {
    return (List<Map<String, Object>>) PyJson.parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  private Path write(String name, List<Map<String, Object>> rows) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, PyJson.dumps(rows), StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void gemmaImportsUnderV1ReportingItsOneFork() throws Exception {
    Path source = CliRun.fixture(GEMMA);
    Path data = tmp.resolve("data");
    JsonObject report = importJson(source, data);
    assertEquals(0, pmm("import", source.toString(), "--data", tmp.resolve("data2").toString()), commandLine.err());
    assertTrue(out().contains("event 760: prev_hash_mismatch"), out());

    assertEquals("pmm-v1", report.getString("hash_rule"));
    assertEquals("json", report.getString("format"));
    assertEquals(1461L, report.getLong("events"));
    assertEquals(1461L, report.getLong("imported"));
    // The chain forks once: 759 and 760 both point back to 758 (see HashRuleFixtureTest).
    assertEquals(List.of("760:prev_hash_mismatch"), breaks(report));
    assertEquals(1L, report.getLong("break_count"));
    assertEquals(false, report.getBoolean("ok"));
    JsonObject unknown = report.getJsonObject("unknown_kinds");
    assertTrue(unknown.containsKey("autonomy_stimulus"), unknown.encode());
    assertTrue(!unknown.containsKey("user_message") && !unknown.containsKey("reflection"), unknown.encode());

    // ids, ts, kind, content and meta kept byte for byte; the chain is this server's own.
    List<Map<String, Object>> rows = parse(source);
    List<List<String>> stored = CliRun.events(data);
    assertEquals(1461, stored.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> r = rows.get(i);
      List<String> s = stored.get(i);
      assertEquals(List.of(String.valueOf(r.get("id")), r.get("ts"), r.get("kind"), r.get("content"), r.get("meta")),
          s.subList(0, 5), "event " + r.get("id"));
    }
    assertEquals(null, stored.get(0).get(5));
    assertEquals(stored.get(0).get(6), stored.get(1).get(5));

    List<List<String>> record = CliRun.rows(data, "SELECT source, format, hash_rule, events, breaks, unknown_kinds, break_count FROM imports");
    assertEquals(1, record.size());
    assertEquals(List.of(GEMMA, "json", "pmm-v1", "1461"), record.get(0).subList(0, 4));
    assertEquals(760L, new JsonArray(record.get(0).get(4)).getJsonObject(0).getLong("id"));
    assertEquals(unknown, new JsonObject(record.get(0).get(5)));
    assertEquals("1", record.get(0).get(6));

    assertVerifiesAndSnapshots(data, 1461);
  }

  @Test
  void bothSqliteLedgersImportUnder2025WithNoBreaks() {
    for (Object[] fixture : new Object[][] {{COMMITMENTS, 23L}, {REFLECTIONS, 29L}}) {
      Path source = CliRun.fixture((String) fixture[0]);
      Path data = tmp.resolve("data-" + fixture[0]);
      JsonObject report = importJson(source, data);
      assertEquals("sqlite", report.getString("format"), commandLine.err());
      assertEquals("pmm-2025", report.getString("hash_rule"));
      assertEquals(List.of(), breaks(report));
      assertEquals(true, report.getBoolean("ok"));
      assertEquals(fixture[1], report.getLong("imported"));
      assertEquals(fixture[1], (long) CliRun.events(data).size());
      assertVerifiesAndSnapshots(data, (Long) fixture[1]);
    }
    JsonObject unknown = new JsonObject(CliRun.rows(tmp.resolve("data-" + REFLECTIONS), "SELECT unknown_kinds FROM imports").get(0).get(0));
    assertTrue(unknown.containsKey("identity_adoption"), unknown.encode());
  }

  @Test
  void anEditedContentIsExactlyThatEventsHashMismatch() throws Exception {
    List<Map<String, Object>> rows = parse(CliRun.fixture(GEMMA));
    rows.get(99).put("content", rows.get(99).get("content") + " (edited)");
    JsonObject report = importJson(write("content.json", rows), tmp.resolve("data"));
    assertEquals("pmm-v1", report.getString("hash_rule"));
    assertEquals(List.of("100:hash_mismatch", "760:prev_hash_mismatch"), breaks(report));
    assertEquals(1461L, report.getLong("imported"));
    assertVerifiesAndSnapshots(tmp.resolve("data"), 1461);
  }

  @Test
  void anEditedPrevHashIsALinkBreakThere() throws Exception {
    List<Map<String, Object>> rows = parse(CliRun.fixture(GEMMA));
    rows.get(299).put("prev_hash", "0".repeat(64));
    JsonObject report = importJson(write("prev.json", rows), tmp.resolve("data"));
    // pmm-v1 hashes cover prev_hash, so the stored hash no longer recomputes either.
    assertEquals(List.of("300:prev_hash_mismatch", "300:hash_mismatch", "760:prev_hash_mismatch"), breaks(report));
  }

  @Test
  void strictRefusesTheForkedGemmaLedgerAndWritesNothing() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(1, pmm("import", CliRun.fixture(GEMMA).toString(), "--data", data.toString(), "--strict", "--json"));
    JsonObject report = new JsonObject(out().trim());
    assertEquals(0L, report.getLong("imported"));
    assertEquals(List.of("760:prev_hash_mismatch"), breaks(report));
    assertTrue(commandLine.err().contains("--strict"), commandLine.err());
    assertEquals("absent", CliRun.state(data));
    // An intact source passes --strict.
    assertEquals(0, pmm("import", CliRun.fixture(COMMITMENTS).toString(), "--data", data.toString(), "--strict"), commandLine.err());
  }

  @Test
  void aNonEmptyLedgerIsRefused() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, pmm("import", CliRun.fixture(COMMITMENTS).toString(), "--data", data.toString()), commandLine.err());
    String before = CliRun.state(data);
    assertEquals(2, pmm("import", CliRun.fixture(REFLECTIONS).toString(), "--data", data.toString()));
    assertTrue(commandLine.err().contains("not empty (23 events)"), commandLine.err());
    assertEquals(before, CliRun.state(data));
    assertEquals(23, CliRun.events(data).size());
  }

  @Test
  void anEmptyExistingLedgerTakesTheImport() {
    Path data = tmp.resolve("data");
    assertEquals(0, pmm("verify", "--data", data.toString()), commandLine.err()); // creates an empty ledger
    assertEquals(0, pmm("import", CliRun.fixture(COMMITMENTS).toString(), "--data", data.toString()), commandLine.err());
    assertVerifiesAndSnapshots(data, 23);
  }

  @Test
  void filesThatAreNotLedgersAreRefusedAtTheirFirstBadPositionLeavingTheDataDirAsItWas() throws Exception {
    Path gemma = CliRun.fixture(GEMMA);
    byte[] bytes = Files.readAllBytes(gemma);
    Path truncated = tmp.resolve("truncated.json");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    List<Map<String, Object>> wrongType = parse(gemma);
    wrongType.get(4).put("id", "5");
    List<Map<String, Object>> contentNumber = parse(gemma);
    contentNumber.get(6).put("content", 7L);
    List<Map<String, Object>> decreasing = parse(gemma);
    decreasing.get(9).put("id", 3L);
    List<Map<String, Object>> duplicate = parse(gemma);
    duplicate.get(9).put("id", 9L);
    List<Map<String, Object>> metaList = parse(gemma);
    metaList.get(11).put("meta", "[1, 2]");
    List<Map<String, Object>> metaObject = parse(gemma);
    metaObject.get(12).put("meta", Map.of("a", 1L));
    Path notAnArray = tmp.resolve("object.json");
    Files.writeString(notAnArray, "{\"id\": 1}");
    Path notSqlite = tmp.resolve("bad.db");
    Files.write(notSqlite, java.util.Arrays.copyOf("SQLite format 3\0garbage".getBytes(StandardCharsets.ISO_8859_1), 4096));

    Map<Path, String> cases = new java.util.LinkedHashMap<>();
    cases.put(truncated, "inside the element (truncated)");
    cases.put(write("wrong-type.json", wrongType), "element 4 at byte offset");
    cases.put(write("content-number.json", contentNumber), "element 6 (id 7) at byte offset");
    cases.put(write("decreasing.json", decreasing), "element 9 (id 3) at byte offset");
    cases.put(write("duplicate.json", duplicate), "id 9 repeats the previous id 9");
    cases.put(write("meta-list.json", metaList), "element 11 (id 12) at byte offset");
    cases.put(write("meta-object.json", metaObject), "element 12 (id 13) at byte offset");
    cases.put(notAnArray, "expected '[' at byte offset 0");
    cases.put(notSqlite, "not a PMM ledger");

    Path fresh = tmp.resolve("fresh");
    Path empty = tmp.resolve("empty");
    assertEquals(0, pmm("verify", "--data", empty.toString()), commandLine.err()); // an empty ledger's files
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      for (Path data : List.of(fresh, empty)) {
        String before = CliRun.state(data);
        assertEquals(2, pmm("import", c.getKey().toString(), "--data", data.toString()), c.getKey() + ": " + out() + commandLine.err());
        assertTrue(commandLine.err().contains("not a PMM ledger"), commandLine.err());
        assertTrue(commandLine.err().contains(c.getValue()), c.getKey() + ": " + commandLine.err());
        assertEquals(before, CliRun.state(data), c.getKey().toString());
      }
    }
    // The reason is named too.
    assertEquals(2, pmm("import", tmp.resolve("meta-list.json").toString(), "--data", fresh.toString()));
    assertTrue(commandLine.err().contains("meta is not a JSON object"), commandLine.err());
    assertEquals(2, pmm("import", tmp.resolve("decreasing.json").toString(), "--data", fresh.toString()));
    assertTrue(commandLine.err().contains("strictly increasing"), commandLine.err());
  }

  private Path sqliteCopy(String name, String... statements) throws Exception {
    Path copy = tmp.resolve(name);
    Files.copy(CliRun.fixture(COMMITMENTS), copy);
    copy.toFile().setWritable(true);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + copy)) {
      for (String sql : statements) {
        c.createStatement().execute(sql);
      }
    }
    return copy;
  }

  @Test
  void aTamperedSqliteLedgerReportsItsBreaksAndABadRowIsRefused() throws Exception {
    JsonObject report = importJson(sqliteCopy("tampered.db", "UPDATE events SET content = 'forged' WHERE id = 7"),
        tmp.resolve("data"));
    assertEquals("pmm-2025", report.getString("hash_rule"));
    assertEquals(List.of("7:hash_mismatch"), breaks(report));

    Path fresh = tmp.resolve("fresh");
    Map<Path, String> cases = new java.util.LinkedHashMap<>();
    cases.put(sqliteCopy("meta-list.db", "UPDATE events SET meta = '[1]' WHERE id = 5"),
        "row 4 (id 5): meta is not a JSON object");
    cases.put(sqliteCopy("kind-number.db", "UPDATE events SET kind = X'6869' WHERE id = 9"),
        "row 8 (id 9): kind must be a string");
    cases.put(sqliteCopy("no-events.db", "DROP TABLE events"), "no readable events table");
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      assertEquals(2, pmm("import", c.getKey().toString(), "--data", fresh.toString()), c.getKey() + ": " + commandLine.err());
      assertTrue(commandLine.err().contains(c.getValue()), commandLine.err());
      assertEquals("absent", CliRun.state(fresh));
    }
  }

  @Test
  void usageErrors() {
    assertEquals(2, pmm("import"));
    assertEquals(2, pmm("import", tmp.resolve("missing.json").toString(), "--data", tmp.resolve("d").toString()));
    assertTrue(commandLine.err().contains("no such file"), commandLine.err());
    assertEquals(2, pmm("import", "a", "b"));
  }

  /** A JSON ledger with these ids (Long or BigInteger), intact under pmm-2025 but for what the ids do to it. */
  private Path ledger(String name, List<String> metas, Object... ids) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    String prev = null;
    for (int i = 0; i < ids.length; i++) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      long hashedId = ids[i] instanceof Long l ? l : 0;
      String meta = metas.isEmpty() ? "{}" : metas.get(i);
      String hash = HashRule.PMM_2025.hash(hashedId, "2025-09-01T00:00:0" + i + "+00:00", "user_message", "event " + i,
          metaObject(meta), prev);
      row.put("id", ids[i]);
      row.put("ts", "2025-09-01T00:00:0" + i + "+00:00");
      row.put("kind", "user_message");
      row.put("content", "event " + i);
      row.put("meta", meta);
      row.put("prev_hash", prev);
      row.put("hash", hash);
      rows.add(row);
      prev = hash;
    }
    return write(name, rows);
  }

  /** Stderr holds {@code expected}, where # stands for a byte offset. */
  private void assertSays(String expected) {
    String pattern = java.util.regex.Pattern.quote(expected).replace("#", "\\E\\d+\\Q");
    assertTrue(java.util.regex.Pattern.compile(pattern).matcher(commandLine.err()).find(), commandLine.err());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metaObject(String text) {
    return (Map<String, Object>) PyJson.parse(text);
  }

  @Test
  void idsTheServerCouldNotServeAreRefusedNamingTheFirstBadIdAndNothingIsWritten() throws Exception {
    Map<Path, String> cases = new java.util.LinkedHashMap<>();
    cases.put(ledger("gap.json", List.of(), 1L, 2L, 10L), "element 2 (id 10) at byte offset #: event ids must run 1, 2, 3,"
        + " ... without gaps: after id 2 comes id 10; use --renumber to number them from 1 (nothing was written)");
    cases.put(ledger("start-5.json", List.of(), 5L, 6L, 7L),
        "element 0 (id 5) at byte offset #: event ids must run 1, 2, 3, ... without gaps: the first id is 5; use --renumber");
    Map<Path, String> evenRenumbered = new java.util.LinkedHashMap<>();
    evenRenumbered.put(ledger("near-2-63.json", List.of(), 1L, 2L, Long.MAX_VALUE - 7),
        "element 2 (id 9223372036854775800) at byte offset #: id 9223372036854775800 is past the largest id this server"
        + " serves, 9007199254740991 (2^53 - 1");
    evenRenumbered.put(ledger("past-2-63.json", List.of(), 1L, new java.math.BigInteger("9223372036854775808")),
        "element 1 at byte offset #: id 9223372036854775808 is past the largest id");
    evenRenumbered.put(ledger("past-2-53.json", List.of(), 1L, 1L << 53), "id 9007199254740992 is past the largest id");
    evenRenumbered.put(ledger("negative.json", List.of(), -3L, 1L), "element 0 (id -3) at byte offset #: id must be at least 1, got -3");
    evenRenumbered.put(ledger("zero.json", List.of(), 0L, 1L), "element 0 (id 0) at byte offset #: id must be at least 1, got 0");
    evenRenumbered.put(ledger("duplicate-id.json", List.of(), 1L, 2L, 2L, 3L),
        "element 2 (id 2) at byte offset #: id 2 repeats the previous id 2");
    evenRenumbered.put(ledger("decreasing-id.json", List.of(), 1L, 2L, 3L, 2L),
        "element 3 (id 2) at byte offset #: id 2 is lower than the previous id 3");
    cases.putAll(evenRenumbered);

    Path fresh = tmp.resolve("fresh");
    Path empty = tmp.resolve("empty");
    assertEquals(0, pmm("verify", "--data", empty.toString()), commandLine.err()); // an empty ledger's files
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      for (Path data : List.of(fresh, empty)) {
        String before = CliRun.state(data);
        assertEquals(2, pmm("import", c.getKey().toString(), "--data", data.toString(), "--json"),
            c.getKey() + ": " + out() + commandLine.err());
        assertTrue(commandLine.err().startsWith("pmm import: refused, " + c.getKey()), commandLine.err());
        assertSays(c.getValue());
        assertEquals("", out(), "no report for a refused source");
        assertEquals(before, CliRun.state(data), c.getKey().toString());
      }
    }
    for (Map.Entry<Path, String> c : evenRenumbered.entrySet()) {
      assertEquals(2, pmm("import", c.getKey().toString(), "--data", fresh.toString(), "--renumber"), c.getKey() + ": " + commandLine.err());
      assertSays(c.getValue());
      assertEquals("absent", CliRun.state(fresh));
    }
  }

  @Test
  void renumberNumbersTheEventsFromOneKeepingEachSourceIdInMeta() throws Exception {
    Path gapped = ledger("gap.json", List.of("{}", "{\"a\": 1}", " {\n  \"b\": [1, 2]\n} "), 1L, 2L, 10L);
    Path data = tmp.resolve("data");
    JsonObject report = importJson(gapped, data, "--renumber");
    assertEquals(0, commandLine.run("verify", "--data", data.toString()), commandLine.err());
    assertEquals(true, report.getBoolean("renumbered"));
    assertEquals(3L, report.getLong("imported"));
    // The report is the source's: its gap is there, a break under pmm-2025 (its hashes cover the id).
    assertEquals(List.of("10:id_gap"), breaks(report));

    List<List<String>> stored = CliRun.events(data);
    assertEquals(List.of("1", "2", "3"), stored.stream().map(e -> e.get(0)).toList());
    assertEquals(List.of("{\"source_id\": 1}", "{\"source_id\": 2, \"a\": 1}", " {\"source_id\": 10, \n  \"b\": [1, 2]\n} "),
        stored.stream().map(e -> e.get(4)).toList());
    assertEquals(List.of("event 0", "event 1", "event 2"), stored.stream().map(e -> e.get(3)).toList());
    assertVerifiesAndSnapshots(data, 3);

    Path startsAt5 = ledger("start-5.json", List.of(), 5L, 6L, 7L);
    Path second = tmp.resolve("second");
    assertEquals(0, pmm("import", startsAt5.toString(), "--data", second.toString(), "--renumber"), commandLine.err());
    assertTrue(out().contains("imported 3 events into ") && out().contains("renumbered 1 to 3 (each source id kept in meta as \"source_id\")"), out());
    assertEquals(List.of("1", "2", "3"), CliRun.events(second).stream().map(e -> e.get(0)).toList());
    assertVerifiesAndSnapshots(second, 3);

    // --strict still counts the source's gap as a break.
    assertEquals(1, pmm("import", gapped.toString(), "--data", tmp.resolve("strict").toString(), "--renumber", "--strict"));
    assertEquals("absent", CliRun.state(tmp.resolve("strict")));

    // A source id already in meta is not overwritten: the source is refused instead.
    Path renumberedBefore = ledger("has-source-id.json", List.of("{}", "{\"source_id\": 4}"), 1L, 3L);
    assertEquals(2, pmm("import", renumberedBefore.toString(), "--data", tmp.resolve("third").toString(), "--renumber"));
    assertSays("element 1 (id 3) at byte offset #: meta already has a \"source_id\"");
    assertEquals("absent", CliRun.state(tmp.resolve("third")));
  }

  @Test
  void withoutRenumberTheReportSaysTheIdsWereKept() throws Exception {
    JsonObject report = importJson(ledger("intact.json", List.of(), 1L, 2L, 3L), tmp.resolve("data"));
    assertEquals(false, report.getBoolean("renumbered"));
    assertEquals(true, report.getBoolean("ok"));
    assertEquals(List.of("1", "2", "3"), CliRun.events(tmp.resolve("data")).stream().map(e -> e.get(0)).toList());
  }

  @Test
  void aSqliteEventsViewOrVirtualTableIsRefusedPromptlyEvenOverAnEndlessQuery() throws Exception {
    Path endless = tmp.resolve("endless.db");
    Path upperCase = tmp.resolve("upper-case.db");
    Path virtual = tmp.resolve("virtual.db");
    // The rowid column lets "ORDER BY rowid" through, which then sorts rows that never end.
    String endlessRows = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n AS rowid, n AS id,"
        + " '2025-09-01T00:00:00+00:00' AS ts, 'user_message' AS kind, 'x' AS content, '{}' AS meta,"
        + " NULL AS prev_hash, NULL AS hash FROM r";
    sqlite(endless, "CREATE VIEW events AS " + endlessRows);
    sqlite(upperCase, "CREATE VIEW EVENTS AS " + endlessRows);
    sqlite(virtual, "CREATE VIRTUAL TABLE events USING fts5(id, ts, kind, content, meta, prev_hash, hash)",
        "INSERT INTO events VALUES (1, '2025-09-01T00:00:00+00:00', 'user_message', 'x', '{}', NULL, NULL)");

    Path data = tmp.resolve("data");
    Map<Path, String> cases = new java.util.LinkedHashMap<>();
    cases.put(endless, "events is a view, not a table");
    cases.put(upperCase, "events is a view, not a table");
    cases.put(virtual, "events is a virtual table, not a table");
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      int exit = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
          () -> pmm("import", c.getKey().toString(), "--data", data.toString()));
      assertEquals(2, exit, commandLine.err());
      assertTrue(commandLine.err().contains("is not a PMM ledger: the SQLite file's " + c.getValue()), commandLine.err());
      assertEquals("absent", CliRun.state(data));
    }
  }

  private static void sqlite(Path file, String... statements) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
      for (String sql : statements) {
        c.createStatement().execute(sql);
      }
    }
  }
}
