package dev.pmm.model;

import dev.pmm.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** The model named by {@code model.provider}: "offline" (the default) or "openai". */
public final class ChatModels {
  private ChatModels() {}

  public static ChatModel create(Vertx vertx, JsonObject config, Map<String, String> env) {
    String provider = Setting.MODEL_PROVIDER.stringIn(config);
    return switch (provider) {
      case "offline" -> new OfflineModel(vertx, Setting.MODEL_OFFLINE_TOKEN_DELAY_MS.longIn(config));
      case "openai" -> new OpenAiModel(vertx, OpenAiModel.Settings.fromConfig(config, env));
      default -> throw new IllegalArgumentException("model.provider must be \"offline\" or \"openai\", got \"" + provider + "\"");
    };
  }
}
