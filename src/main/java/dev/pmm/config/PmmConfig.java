package dev.pmm.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads a JSON file, then the environment, then the command line, each overriding the one before,
 * every value parsed as its {@link Setting} declares. The result holds only what was set: readers
 * fall back to the declared defaults.
 */
public final class PmmConfig {
  private PmmConfig() {}

  /** Read when it exists and no other file is named; none ships, since every key has its default. */
  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");

  // Variables with the prefix that are not settings: the pmm script reads this one.
  private static final Set<String> OTHER_VARIABLES = Set.of("PMM_JAVA_OPTS");

  /**
   * @param file        a file named on the command line, which must exist; null: {@link #DEFAULT_FILE} if it exists
   * @param commandLine option name (a key, or a setting's short option such as "port") to its text
   * @param warnings    told of PMM_ variables and file keys that name no setting, which are ignored
   * @throws IllegalArgumentException for a bad value (naming the key, its variable and what it
   *                                  expects), a retired key (naming its replacement) or an unreadable file
   */
  public static JsonObject load(Path file, Map<String, String> env, Map<String, String> commandLine,
                                Consumer<String> warnings) {
    JsonObject config = new JsonObject();
    Path source = file != null ? file : Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
    if (source != null) {
      readFile(source).forEach(field -> {
        String key = field.getKey();
        if (Setting.RETIRED.containsKey(key)) {
          throw new IllegalArgumentException(source + ": " + key + " " + Setting.RETIRED.get(key));
        }
        Optional<Setting> setting = Setting.byKey(key);
        if (setting.isEmpty()) {
          warnings.accept(source + ": \"" + key + "\" is not a configuration key; ignored");
        } else if (field.getValue() != null) {
          config.put(key, setting.get().parse(field.getValue(), source.toString()));
        }
      });
    }
    for (Setting setting : Setting.values()) {
      String value = env.get(setting.envName());
      if (value != null) {
        config.put(setting.key(), setting.parse(value, "the environment"));
      }
    }
    for (Map.Entry<String, String> option : commandLine.entrySet()) {
      Setting setting = Setting.byOption(option.getKey())
          .orElseThrow(() -> new IllegalArgumentException("--" + option.getKey() + " is not a configuration option"));
      if (commandLine.keySet().stream().filter(name -> Setting.byOption(name).orElse(null) == setting).count() > 1) {
        throw new IllegalArgumentException(setting.key() + " is given twice on the command line");
      }
      if (setting.secret()) {
        warnings.accept("--" + option.getKey() + " shows its value to every user of this machine (ps); "
            + setting.envName() + " does not");
      }
      config.put(setting.key(), setting.parse(option.getValue(), "--" + option.getKey()));
    }
    checkOtherVariables(env, Setting.MODEL_OPENAI_API_KEY_ENV.stringIn(config), warnings);
    return config;
  }

  private static void checkOtherVariables(Map<String, String> env, String apiKeyVariable, Consumer<String> warnings) {
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith("PMM_") || OTHER_VARIABLES.contains(name) || name.equals(apiKeyVariable)) {
        continue;
      }
      for (Map.Entry<String, String> old : Setting.RETIRED.entrySet()) {
        if (Setting.envName(old.getKey()).equals(name)) {
          throw new IllegalArgumentException(name + " is set, but " + old.getKey() + " " + old.getValue());
        }
      }
      if (Arrays.stream(Setting.values()).noneMatch(s -> s.envName().equals(name))) {
        warnings.accept(name + " is set but names no configuration key; ignored");
      }
    }
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": no such file", e);
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The JDBC URL of the ledger: an HSQLDB file under the data dir unless db.url is set. */
  public static String jdbcUrl(JsonObject config) {
    String url = Setting.DB_URL.stringIn(config);
    if (url != null && !url.isBlank()) {
      return url;
    }
    Path dir = Path.of(Setting.DATA_DIR.stringIn(config)).toAbsolutePath().normalize();
    // Cached tables keep rows on disk (memory is bounded by the row cache, not the ledger);
    // MVCC lets readers run beside the single writer.
    return "jdbc:hsqldb:file:" + dir.resolve("pmm") + ";hsqldb.default_table_type=cached;hsqldb.tx=mvcc";
  }
}
