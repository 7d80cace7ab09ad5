package dev.pmm.model;

import dev.pmm.config.ConfigKeys;
import dev.pmm.model.OpenAiModel.Settings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiSettingsTest {

  @Test
  void defaultsAreTheOnesTheShippedConfigFileHad() {
    Settings defaults = Settings.fromConfig(new JsonObject(), Map.of("OPENAI_API_KEY", "sk-file"));
    assertEquals(new Settings("https://api.openai.com/v1", "gpt-4o-mini", "sk-file", 5000, 30000, 0, 3, 500, 10000,
        true, 0.7, 512), defaults);
    assertEquals(Settings.of("https://api.openai.com/v1", "gpt-4o-mini").withApiKey("sk-file"), defaults);
  }

  @Test
  void theKeyComesFromTheNamedEnvironmentVariableOnly() {
    JsonObject config = new JsonObject().put(ConfigKeys.MODEL_OPENAI_API_KEY_ENV, "MY_KEY").put("api.key", "sk-config");
    assertEquals("sk-env", Settings.fromConfig(config, Map.of("MY_KEY", "sk-env", "OPENAI_API_KEY", "other")).apiKey());
    assertNull(Settings.fromConfig(config, Map.of("OPENAI_API_KEY", "other")).apiKey());
    assertNull(Settings.fromConfig(new JsonObject(), Map.of("OPENAI_API_KEY", "  ")).apiKey());
  }

  @Test
  void everyKeyIsRead() {
    JsonObject config = new JsonObject()
        .put(ConfigKeys.MODEL_OPENAI_BASE_URL, "http://127.0.0.1:11434/v1/")
        .put(ConfigKeys.MODEL_OPENAI_MODEL, "llama3.2")
        .put(ConfigKeys.MODEL_OPENAI_CONNECT_TIMEOUT_MS, 100)
        .put(ConfigKeys.MODEL_OPENAI_IDLE_TIMEOUT_MS, 200L)
        .put(ConfigKeys.MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS, 60000)
        .put(ConfigKeys.MODEL_OPENAI_RETRIES, 0)
        .put(ConfigKeys.MODEL_OPENAI_RETRY_BACKOFF_MS, 7)
        .put(ConfigKeys.MODEL_OPENAI_TEMPERATURE, "0.2")
        .put(ConfigKeys.MODEL_OPENAI_MAX_TOKENS, 64L);
    Settings s = Settings.fromConfig(config, Map.of());
    assertEquals("http://127.0.0.1:11434/v1", s.baseUrl());
    assertEquals("llama3.2", s.model());
    assertNull(s.apiKey());
    assertEquals(List.of(100, 200L, 60000L, 0, 7L, 0.2, 64),
        List.of(s.connectTimeoutMs(), s.idleTimeoutMs(), s.firstTokenTimeoutMs(), s.retries(), s.retryBackoffMs(),
            s.temperature(), s.maxTokens()));
  }

  @Test
  void aNegativeTemperatureOrZeroMaxTokensLeavesThemOut() {
    Settings s = Settings.fromConfig(new JsonObject().put(ConfigKeys.MODEL_OPENAI_TEMPERATURE, -1)
        .put(ConfigKeys.MODEL_OPENAI_MAX_TOKENS, 0), Map.of());
    assertNull(s.temperature());
    assertNull(s.maxTokens());
    JsonObject body = OpenAiModel.requestBody(s, List.of(ChatMessage.user("hi")));
    assertTrue(!body.containsKey("temperature") && !body.containsKey("max_tokens"), body.encode());
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Settings.of("api.openai.com/v1", "m"));
    assertThrows(IllegalArgumentException.class, () -> Settings.of("http://x/v1", " "));
    assertThrows(IllegalArgumentException.class, () -> Settings.of("http://x/v1", "m").withTimeouts(0, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> Settings.fromConfig(new JsonObject().put(ConfigKeys.MODEL_OPENAI_RETRIES, "many"), Map.of()));
  }

  @Test
  void backoffDoublesAndRetryAfterIsCapped() {
    Settings s = Settings.of("http://x/v1", "m").withRetries(5, 100, 2000, false);
    assertEquals(List.of(100L, 200L, 400L, 800L), List.of(s.retryDelayMs(1, null), s.retryDelayMs(2, null),
        s.retryDelayMs(3, null), s.retryDelayMs(4, null)));
    assertEquals(1000L, s.retryDelayMs(1, 1000L));
    assertEquals(2000L, s.retryDelayMs(1, 30000L));
    Settings jittered = s.withRetries(5, 100, 2000, true);
    for (int i = 0; i < 100; i++) {
      long delay = jittered.retryDelayMs(3, null);
      assertTrue(delay >= 200 && delay <= 400, "jittered delay " + delay);
    }
  }
}
