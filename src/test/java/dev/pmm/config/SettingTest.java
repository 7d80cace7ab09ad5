package dev.pmm.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingTest {

  /**
   * What the server used before the keys were declared: the values of the conf/config.json it
   * shipped, and for the keys that file lacked, the fallbacks the readers wrote. Each is typed as it
   * was read (getInteger or getLong), so the declaration changes no behaviour.
   */
  private static final Map<String, Object> BEFORE = Map.ofEntries(
      Map.entry("http.host", "127.0.0.1"),
      Map.entry("http.port", 8080),
      Map.entry("data.dir", "./data"),
      Map.entry("db.cache.rows", 250000L),
      Map.entry("db.cache.mb", 64L),
      Map.entry("db.log.mb", 8L),
      Map.entry("ledger.batch.max", 512),
      Map.entry("ledger.commit.delay.us", 300),
      Map.entry("ledger.event.max.bytes", 262144),
      Map.entry("ledger.read.limit.max", 5000),
      Map.entry("ledger.verify.on.start", true),
      Map.entry("ledger.disk.reserve.mb", 64L),
      Map.entry("ledger.chain.break.acknowledged", false),
      Map.entry("checkpoint.every", 1000L),
      Map.entry("checkpoint.keep", 3),
      Map.entry("consistency.check.every", 10000L),
      Map.entry("replay.page.size", 2000),
      Map.entry("snapshot.coalesce.ms", 100L),
      Map.entry("projection.expired.keep", 100),
      Map.entry("model.provider", "offline"),
      Map.entry("model.offline.token.delay.ms", 15L),
      Map.entry("turn.context.recent", 12),
      Map.entry("turn.text.max.chars", 16000),
      Map.entry("turn.queue.max", 32),
      Map.entry("tick.interval.ms", 10000L),
      Map.entry("tick.model.timeout.ms", 20000L),
      Map.entry("reflection.min.turns", 2),
      Map.entry("reflection.min.seconds", 20L),
      Map.entry("reflection.gas.jump", 0.05),
      Map.entry("commitment.ttl.ticks", 10L),
      Map.entry("memory.embedder", "minilm"),
      Map.entry("memory.cache.size", 1000),
      Map.entry("memory.recall.window", 2000),
      Map.entry("memory.recall.k", 5),
      Map.entry("memory.recall.budget.ms", 150L),
      // Read as a comma-separated string that defaulted to "": no names.
      Map.entry("web.allowed.hosts", List.of()),
      Map.entry("web.allowed.origins", List.of()),
      Map.entry("web.ws.max.frame.bytes", 65536),
      Map.entry("web.turns.per.minute", 30),
      Map.entry("web.connections.max", 256),
      Map.entry("model.openai.base.url", "https://api.openai.com/v1"),
      Map.entry("model.openai.model", "gpt-4o-mini"),
      Map.entry("model.openai.api.key.env", "OPENAI_API_KEY"),
      Map.entry("model.openai.connect.timeout.ms", 5000),
      Map.entry("model.openai.idle.timeout.ms", 30000L),
      Map.entry("model.openai.first.token.timeout.ms", 0L),
      Map.entry("model.openai.retries", 3),
      Map.entry("model.openai.retry.backoff.ms", 500L),
      Map.entry("model.openai.temperature", 0.7),
      Map.entry("model.openai.max.tokens", 512));
  private static final Set<String> NO_DEFAULT_BEFORE = Set.of("db.url", "token");

  @Test
  void theDefaultsAreTheOnesTheServerUsedBefore() {
    Map<String, Object> declared = new TreeMap<>();
    for (Setting setting : Setting.values()) {
      if (!NO_DEFAULT_BEFORE.contains(setting.key())) {
        declared.put(setting.key(), setting.defaultValue());
      } else {
        assertNull(setting.defaultValue(), setting.key());
      }
    }
    assertEquals(new TreeMap<>(BEFORE), declared);
  }

  @Test
  void eachDefaultHasItsKeysTypeAndPassesItsOwnCheck() {
    for (Setting setting : Setting.values()) {
      Object value = setting.defaultValue();
      if (value == null) {
        continue;
      }
      Class<?> expected = switch (setting.type()) {
        case INT -> Integer.class;
        case LONG -> Long.class;
        case DOUBLE -> Double.class;
        case BOOLEAN -> Boolean.class;
        case STRING -> String.class;
        case LIST -> List.class;
      };
      assertTrue(expected.isInstance(value), setting.key() + ": " + value.getClass());
      assertEquals(value, setting.parse(value, null), setting.key());
    }
  }

  @Test
  void keysAreDottedLowerCaseAndTheirVariablesDistinct() {
    for (Setting setting : Setting.values()) {
      assertTrue(setting.key().matches("[a-z]+(\\.[a-z]+)*"), setting.key());
      assertTrue(!setting.meaning().isBlank(), setting.key());
    }
    assertEquals(Setting.values().length, Arrays.stream(Setting.values()).map(Setting::envName).distinct().count());
    assertEquals("PMM_TOKEN", Setting.AUTH_TOKEN.envName());
    for (String retired : Setting.RETIRED.keySet()) {
      assertTrue(Setting.byKey(retired).isEmpty(), retired + " is retired and declared");
    }
  }

  @Test
  void everyKeyHasItsNameInConfigKeys() throws Exception {
    Map<String, String> constants = new LinkedHashMap<>();
    for (Setting setting : Setting.values()) {
      constants.put(setting.name(), (String) ConfigKeys.class.getField(setting.name()).get(null));
    }
    assertEquals(Arrays.stream(Setting.values()).collect(Collectors.toMap(Setting::name, Setting::key)), constants);
    assertEquals(Setting.values().length, Arrays.stream(ConfigKeys.class.getFields())
        .filter(f -> f.getType() == String.class).count(), "ConfigKeys has no name that Setting does not declare");
  }

  @Test
  void anUnsetKeyReadsAsItsDefault() {
    JsonObject empty = new JsonObject();
    assertEquals(512, Setting.LEDGER_BATCH_MAX.intIn(empty));
    assertEquals(250000L, Setting.DB_CACHE_ROWS.longIn(empty));
    assertEquals(0.05, Setting.REFLECTION_GAS_JUMP.doubleIn(empty));
    assertTrue(Setting.LEDGER_VERIFY_ON_START.booleanIn(empty));
    assertNull(Setting.AUTH_TOKEN.stringIn(empty));
    assertEquals(List.of(), Setting.WEB_ALLOWED_HOSTS.listIn(empty));
  }
}
