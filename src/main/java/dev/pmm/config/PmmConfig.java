package dev.pmm.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads conf/config.json, then environment overrides, then command-line overrides, in that order. */
public final class PmmConfig {
  private PmmConfig() {}

  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");

  public static JsonObject load(Path file, Map<String, String> env, JsonObject commandLine) {
    JsonObject config = readFile(file);
    Set<String> keys = new LinkedHashSet<>(ConfigKeys.ALL);
    keys.addAll(config.fieldNames());
    for (String key : keys) {
      String value = env.get(ConfigKeys.envName(key));
      if (value != null) {
        config.put(key, typed(key, value, config.getValue(key)));
      }
    }
    return config.mergeIn(commandLine);
  }

  private static JsonObject readFile(Path file) {
    if (file == null || !Files.exists(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException | DecodeException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  /** An environment value takes the type of the value it overrides, so PMM_HTTP_PORT stays a number. */
  static Object typed(String key, String value, Object current) {
    try {
      if (current instanceof Boolean) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new NumberFormatException();
        }
        return Boolean.parseBoolean(value);
      }
      if (current instanceof Double || current instanceof Float) {
        return Double.parseDouble(value.trim());
      }
      if (current instanceof Number) {
        return Long.parseLong(value.trim());
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ConfigKeys.envName(key) + "=" + value + " is not a valid "
          + (current instanceof Boolean ? "boolean" : current instanceof Double ? "number" : "whole number"));
    }
  }

  /** The JDBC URL of the ledger: an HSQLDB file under the data dir unless db.url is set. */
  public static String jdbcUrl(JsonObject config) {
    String url = config.getString(ConfigKeys.DB_URL);
    if (url != null && !url.isBlank()) {
      return url;
    }
    Path dir = Path.of(config.getString(ConfigKeys.DATA_DIR, "./data")).toAbsolutePath().normalize();
    // Cached tables keep rows on disk (memory is bounded by the row cache, not the ledger);
    // MVCC lets readers run beside the single writer.
    return "jdbc:hsqldb:file:" + dir.resolve("pmm") + ";hsqldb.default_table_type=cached;hsqldb.tx=mvcc";
  }
}
