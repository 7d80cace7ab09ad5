package dev.pmm.config;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.Pmm;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14's commands, which exited with a ClassCastException, start a server or stop with a clear message. */
class StartFromTheEnvironmentTest {

  @TempDir
  Path tmp;

  @Test
  void theServerStartsWithTheIssuesVariables() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "PMM_DATA_DIR", tmp.resolve("data").toString(),
        "PMM_HTTP_PORT", "0",
        "PMM_MEMORY_EMBEDDER", "hash",
        "PMM_TICK_INTERVAL_MS", "0",
        "PMM_MODEL_OFFLINE_TOKEN_DELAY_MS", "0",
        "PMM_LEDGER_COMMIT_DELAY_US", "0",
        "PMM_WEB_TURNS_PER_MINUTE", "100"));
    Path noFile = Files.writeString(tmp.resolve("empty.json"), "{}");
    List<String> warnings = new ArrayList<>();
    JsonObject config = PmmConfig.load(noFile, env, Map.of(), warnings::add);
    assertEquals(List.of(), warnings);
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deploy(vertx, config));
      assertEquals(1L, TestLedger.append(vertx, "user_message", "hello", new JsonObject()).getLong("id"));
      // Closed only once memory has saved the event's vector, which a closing ledger would refuse.
      TestLedger.eventually(() -> TestLedger.request(vertx, Addresses.MEMORY_STATUS, null).getLong("saved", 0L) == 1);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aCommandStopsWithTheMessage() {
    String data = tmp.resolve("data").toString();
    Run bad = run(Map.of(), "verify", "--data", data, "--ledger.batch.max=-1");
    assertEquals(2, bad.code);
    assertTrue(bad.err.contains("ledger.batch.max (PMM_LEDGER_BATCH_MAX) must be a whole number from 1 to 2147483647, not \"-1\" "
        + "(from --ledger.batch.max)"), bad.err);

    Run retired = run(Map.of("PMM_WEB_WS_TURNS_PER_MINUTE", "100"), "verify", "--data", data);
    assertEquals(2, retired.code);
    assertTrue(retired.err.contains("replaced by web.turns.per.minute (PMM_WEB_TURNS_PER_MINUTE)"), retired.err);

    Run good = run(Map.of("PMM_LEDGER_COMMIT_DELAY_US", "0", "PMM_WEB_TURNS_PER_MINUTE", "100"),
        "verify", "--data", data, "--ledger.batch.max", "64");
    assertEquals(0, good.code, good.err);
    assertEquals("", good.err);
  }

  private record Run(int code, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Pmm(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        env).run(args);
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }
}
