package dev.pmm.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file, the environment and the command line, each read through the declaration. */
class PmmConfigTest {

  @TempDir
  Path tmp;

  private final List<String> warnings = new ArrayList<>();

  @Test
  void everyTypeIsParsedFromTheEnvironment() throws IOException {
    JsonObject config = load(Map.of(
        "PMM_HTTP_PORT", "9090",
        "PMM_DB_CACHE_ROWS", " 1000 ",
        "PMM_REFLECTION_GAS_JUMP", "0.2",
        "PMM_LEDGER_VERIFY_ON_START", "FALSE",
        "PMM_HTTP_HOST", "0.0.0.0",
        "PMM_WEB_ALLOWED_HOSTS", "a.example, b.example:9000,,",
        "PMM_MODEL_PROVIDER", "OpenAI"), Map.of());
    assertTypes(config);
    assertEquals(List.of(), warnings);
  }

  @Test
  void everyTypeIsParsedFromTheCommandLine() throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("port", "9090");
    options.put("db.cache.rows", " 1000 ");
    options.put("reflection.gas.jump", "0.2");
    options.put("ledger.verify.on.start", "FALSE");
    options.put("host", "0.0.0.0");
    options.put("web.allowed.hosts", "a.example, b.example:9000,,");
    options.put("model.provider", "OpenAI");
    assertTypes(load(Map.of(), options));
  }

  private static void assertTypes(JsonObject config) {
    assertEquals(9090, config.getValue("http.port"));
    assertEquals(1000L, config.getValue("db.cache.rows"));
    assertEquals(0.2, config.getValue("reflection.gas.jump"));
    assertEquals(false, config.getValue("ledger.verify.on.start"));
    assertEquals("0.0.0.0", config.getValue("http.host"));
    assertEquals(List.of("a.example", "b.example:9000"), Setting.WEB_ALLOWED_HOSTS.listIn(config));
    assertEquals("openai", Setting.MODEL_PROVIDER.stringIn(config));
    assertEquals(9090, Setting.HTTP_PORT.intIn(config));
    assertEquals(1000L, Setting.DB_CACHE_ROWS.longIn(config));
    assertEquals(0.2, Setting.REFLECTION_GAS_JUMP.doubleIn(config));
    assertFalse(Setting.LEDGER_VERIFY_ON_START.booleanIn(config));
  }

  @Test
  void theFileTheEnvironmentAndTheCommandLineOverrideInThatOrder() throws IOException {
    Path file = file(new JsonObject().put("http.port", 1000).put("ledger.batch.max", 100).put("turn.queue.max", 5)
        .put("web.allowed.origins", new JsonArray().add("https://a.example")).put("db.url", null));
    JsonObject config = PmmConfig.load(file, Map.of("PMM_LEDGER_BATCH_MAX", "200", "PMM_TURN_QUEUE_MAX", "6"),
        Map.of("turn.queue.max", "7"), warnings::add);
    assertEquals(1000, Setting.HTTP_PORT.intIn(config));
    assertEquals(200, Setting.LEDGER_BATCH_MAX.intIn(config));
    assertEquals(7, Setting.TURN_QUEUE_MAX.intIn(config));
    assertEquals(List.of("https://a.example"), Setting.WEB_ALLOWED_ORIGINS.listIn(config));
    assertEquals(null, Setting.DB_URL.stringIn(config));
    assertEquals(32, Setting.TURN_QUEUE_MAX.intIn(new JsonObject()), "unset: the declared default");
  }

  /** The two commands of issue 14 that exited with a ClassCastException. */
  @Test
  void theIssuesCrashingVariablesAreReadOrRefusedClearly() throws IOException {
    JsonObject config = load(Map.of("PMM_LEDGER_COMMIT_DELAY_US", "0", "PMM_WEB_TURNS_PER_MINUTE", "100"), Map.of());
    assertEquals(0, Setting.LEDGER_COMMIT_DELAY_US.intIn(config));
    assertEquals(100, Setting.WEB_TURNS_PER_MINUTE.intIn(config));

    IllegalArgumentException retired = assertThrows(IllegalArgumentException.class,
        () -> load(Map.of("PMM_WEB_WS_TURNS_PER_MINUTE", "100"), Map.of()));
    assertTrue(retired.getMessage().startsWith("PMM_WEB_WS_TURNS_PER_MINUTE is set, but web.ws.turns.per.minute was replaced by "
        + "web.turns.per.minute (PMM_WEB_TURNS_PER_MINUTE)"), retired.getMessage());
    IllegalArgumentException inFile = assertThrows(IllegalArgumentException.class,
        () -> PmmConfig.load(file(new JsonObject().put("web.ws.turns.per.minute", 100)), Map.of(), Map.of(), warnings::add));
    assertTrue(inFile.getMessage().contains("web.ws.turns.per.minute was replaced by web.turns.per.minute"), inFile.getMessage());
  }

  @Test
  void aBadValueNamesTheKeyTheVariableAndWhatItExpects() {
    assertRefused(Map.of("PMM_HTTP_PORT", "abc"), Map.of(),
        "http.port (PMM_HTTP_PORT) must be a whole number from 0 to 65535, not \"abc\" (from the environment)");
    assertRefused(Map.of("PMM_HTTP_PORT", "70000"), Map.of(),
        "http.port (PMM_HTTP_PORT) must be a whole number from 0 to 65535, not \"70000\" (from the environment)");
    assertRefused(Map.of(), Map.of("port", "-1"),
        "http.port (PMM_HTTP_PORT) must be a whole number from 0 to 65535, not \"-1\" (from --port)");
    assertRefused(Map.of(), Map.of("ledger.batch.max", "-1"),
        "ledger.batch.max (PMM_LEDGER_BATCH_MAX) must be a whole number from 1 to 2147483647, not \"-1\" (from --ledger.batch.max)");
    assertRefused(Map.of("PMM_TURN_QUEUE_MAX", "99999999999"), Map.of(),
        "turn.queue.max (PMM_TURN_QUEUE_MAX) must be a whole number from 0 to 2147483647, not \"99999999999\" (from the environment)");
    assertRefused(Map.of("PMM_CHECKPOINT_EVERY", "1.5"), Map.of(),
        "checkpoint.every (PMM_CHECKPOINT_EVERY) must be a whole number, 0 or more, not \"1.5\" (from the environment)");
    assertRefused(Map.of("PMM_LEDGER_VERIFY_ON_START", "yes"), Map.of(),
        "ledger.verify.on.start (PMM_LEDGER_VERIFY_ON_START) must be true or false, not \"yes\" (from the environment)");
    assertRefused(Map.of("PMM_REFLECTION_GAS_JUMP", "NaN"), Map.of(),
        "reflection.gas.jump (PMM_REFLECTION_GAS_JUMP) must be a number, not \"NaN\" (from the environment)");
    assertRefused(Map.of("PMM_MODEL_PROVIDER", "gpt"), Map.of(),
        "model.provider (PMM_MODEL_PROVIDER) must be one of offline, openai, not \"gpt\" (from the environment)");
    assertRefused(Map.of("PMM_MEMORY_EMBEDDER", ""), Map.of(),
        "memory.embedder (PMM_MEMORY_EMBEDDER) must be one of minilm, hash, not \"\" (from the environment)");
  }

  @Test
  void aBadValueInTheFileNamesTheFile() throws IOException {
    Path file = file(new JsonObject().put("web.allowed.hosts", new JsonArray().add(1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PmmConfig.load(file, Map.of(), Map.of(), warnings::add));
    assertEquals("web.allowed.hosts (PMM_WEB_ALLOWED_HOSTS) must be a comma-separated list, not [1] (from " + file + ")",
        e.getMessage());
    Path text = file(new JsonObject().put("http.host", 127));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PmmConfig.load(text, Map.of(), Map.of(), warnings::add))
        .getMessage().startsWith("http.host (PMM_HTTP_HOST) must be text, not 127"));
  }

  @Test
  void theTokenIsNeverPrinted() throws IOException {
    Path file = file(new JsonObject().put("token", 123456789));
    String message = assertThrows(IllegalArgumentException.class,
        () -> PmmConfig.load(file, Map.of(), Map.of(), warnings::add)).getMessage();
    assertTrue(message.startsWith("token (PMM_TOKEN) must be text, not the value given"), message);
    assertFalse(message.contains("123456789"), message);

    load(Map.of(), Map.of("token", "s3cret"));
    assertEquals(List.of("--token shows its value to every user of this machine (ps); PMM_TOKEN does not"), warnings);
    assertFalse(String.join("", warnings).contains("s3cret"));
  }

  @Test
  void variablesAndFileKeysThatNameNoKeyAreWarnedAboutAndIgnored() throws IOException {
    Path file = file(new JsonObject().put("http.prot", 1));
    JsonObject config = PmmConfig.load(file, Map.of("PMM_HTTP_PROT", "1", "PMM_JAVA_OPTS", "-Xmx1g", "HOME", "/root",
        "PMM_MODEL_OPENAI_API_KEY_ENV", "PMM_OPENAI_KEY", "PMM_OPENAI_KEY", "sk-x"), Map.of(), warnings::add);
    assertEquals(List.of(file + ": \"http.prot\" is not a configuration key; ignored",
        "PMM_HTTP_PROT is set but names no configuration key; ignored"), warnings);
    assertFalse(config.containsKey("http.prot"));
  }

  @Test
  void aNamedFileMustExistTheDefaultOneNeedNot() {
    Path missing = tmp.resolve("missing.json");
    assertEquals("cannot read config file " + missing + ": no such file", assertThrows(IllegalArgumentException.class,
        () -> PmmConfig.load(missing, Map.of(), Map.of(), warnings::add)).getMessage());
  }

  @Test
  void aConfigBuiltInCodeIsCheckedWhenRead() {
    JsonObject config = new JsonObject().put(ConfigKeys.HTTP_PORT, "8081").put(ConfigKeys.LEDGER_BATCH_MAX, 0)
        .put(ConfigKeys.CHECKPOINT_EVERY, 20);
    assertEquals(8081, Setting.HTTP_PORT.intIn(config));
    assertEquals(20L, Setting.CHECKPOINT_EVERY.longIn(config));
    assertEquals("ledger.batch.max (PMM_LEDGER_BATCH_MAX) must be a whole number from 1 to 2147483647, not 0",
        assertThrows(IllegalArgumentException.class, () -> Setting.LEDGER_BATCH_MAX.intIn(config)).getMessage());
    assertThrows(IllegalStateException.class, () -> Setting.HTTP_PORT.longIn(config), "a reader of the wrong type");
  }

  private JsonObject load(Map<String, String> env, Map<String, String> commandLine) throws IOException {
    return PmmConfig.load(file(new JsonObject()), env, commandLine, warnings::add);
  }

  private void assertRefused(Map<String, String> env, Map<String, String> commandLine, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> load(env, commandLine)).getMessage());
  }

  private Path file(JsonObject content) throws IOException {
    Path file = Files.createTempFile(tmp, "config", ".json");
    Files.writeString(file, content.encode());
    return file;
  }
}
