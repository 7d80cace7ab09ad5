package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.support.CliRun;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pmm export, and export then import giving the same ledger and the same snapshot. */
class ExportTest {

  @TempDir
  Path tmp;
  private final CommandLine commandLine = new CommandLine();

  private int pmm(String... args) {
    return commandLine.run(args);
  }

  private String out() {
    return commandLine.out();
  }

  private JsonObject snapshot(Path data) {
    assertEquals(0, pmm("snapshot", "--data", data.toString()), commandLine.err());
    return new JsonObject(out());
  }

  @Test
  void exportThenImportGivesTheSameEventsAndTheSameSnapshot() throws Exception {
    Path data = tmp.resolve("data");
    Workload workload = new Workload(5);
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, TestLedger.config(data)));
      // Pages of 2000: more than one page, and non-ASCII text and nested meta on the way.
      await(TestLedger.appendMany(vertx, 4100, i -> workload.event(i)));
      TestLedger.append(vertx, "user_message", "héllo wörld ✓ 😀 \"quoted\" \\ back\nslash",
          new JsonObject().put("nested", new JsonObject().put("x", 0.1 + 0.2).put("list", new JsonArray().add(1).add("ü"))));
    } finally {
      await(vertx.close());
    }
    List<List<String>> events = CliRun.events(data);
    assertEquals(4101, events.size());
    JsonObject snapshot = snapshot(data);

    Path file = tmp.resolve("export.json");
    assertEquals(0, pmm("export", "--data", data.toString(), "--out", file.toString()), commandLine.err());
    assertTrue(commandLine.err().contains("exported 4101 events"));
    assertEquals(0, pmm("export", "--data", data.toString()));
    assertEquals(Files.readString(file), out(), "stdout and --out write the same");

    // The PMM export shape: meta a JSON string holding the stored text byte for byte.
    JsonArray exported = new JsonArray(Files.readString(file));
    assertEquals(4101, exported.size());
    JsonObject last = exported.getJsonObject(4100);
    assertEquals(List.of("id", "ts", "kind", "content", "meta", "prev_hash", "hash"), List.copyOf(last.fieldNames()));
    assertEquals(events.get(4100).get(4), last.getString("meta"));

    Path copy = tmp.resolve("copy");
    assertEquals(0, pmm("import", file.toString(), "--data", copy.toString(), "--json", "--strict"), commandLine.err());
    JsonObject report = new JsonObject(out().trim());
    assertEquals("pmm-2025", report.getString("hash_rule"));
    assertEquals(0L, report.getLong("break_count"));
    assertEquals(4101L, report.getLong("imported"));
    assertEquals(events, CliRun.events(copy), "every column of every event");
    assertEquals(snapshot, snapshot(copy));
  }

  @Test
  void anImportedV1LedgerExportsAndComesBackUnchanged() throws Exception {
    Path first = tmp.resolve("first");
    assertEquals(0, pmm("import", CliRun.fixture("pmm-v1-gemma3-4b-ledger.json").toString(), "--data", first.toString()));
    Path file = tmp.resolve("gemma-export.json");
    assertEquals(0, pmm("export", "--data", first.toString(), "--out", file.toString()));
    Path second = tmp.resolve("second");
    assertEquals(0, pmm("import", file.toString(), "--data", second.toString(), "--strict"), commandLine.err());
    assertEquals(CliRun.events(first), CliRun.events(second));
    assertEquals(snapshot(first), snapshot(second));
  }

  @Test
  void anEmptyLedgerExportsAnEmptyArrayAndAMissingOneIsAnError() {
    Path empty = tmp.resolve("empty");
    assertEquals(0, pmm("verify", "--data", empty.toString()));
    assertEquals(0, pmm("export", "--data", empty.toString()));
    assertEquals("[]\n", out());
    assertEquals(2, pmm("export", "--data", tmp.resolve("none").toString()));
    assertTrue(commandLine.err().contains("there is no ledger"), commandLine.err());
    assertTrue(!Files.exists(tmp.resolve("none").resolve("pmm.script")));
  }

  @Test
  void exportNeverWritesThroughAPlantedPartialFileOrATargetSymlink() throws Exception {
    Path data = tmp.resolve("data");
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, TestLedger.config(data)));
      await(TestLedger.appendMany(vertx, 5, i -> new Workload(7).event(i)));
    } finally {
      await(vertx.close());
    }
    assertEquals(0, pmm("export", "--data", data.toString()), commandLine.err());
    String expected = out();

    Path victim = tmp.resolve("victim.txt");
    Files.writeString(victim, "not yours");
    Path target = tmp.resolve("export.json");
    Path planted = tmp.resolve("export.json.partial");
    Files.createSymbolicLink(planted, victim);

    assertEquals(0, pmm("export", "--data", data.toString(), "--out", target.toString()), commandLine.err());
    assertEquals("not yours", Files.readString(victim));
    assertTrue(Files.isSymbolicLink(planted), "the planted link is left alone");
    assertEquals(expected, Files.readString(target));
    assertTrue(commandLine.err().contains("exported 5 events"), commandLine.err());

    // A target that is itself a symlink is replaced by the export; the file it pointed to is not written.
    Files.delete(target);
    Files.createSymbolicLink(target, victim);
    assertEquals(0, pmm("export", "--data", data.toString(), "--out", target.toString()), commandLine.err());
    assertEquals("not yours", Files.readString(victim));
    assertTrue(!Files.isSymbolicLink(target));
    assertEquals(expected, Files.readString(target));
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".partial") && !p.equals(planted)).toList(),
          "no temporary file is left behind");
    }
  }
}
