package dev.pmm.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every configuration key, declared once: its type, default, the values it accepts and its meaning.
 * README's "Configuration" tables list the same keys with the same defaults (SettingDocsTest).
 *
 * <p>A value may come from a JSON file, the environment ({@link #envName()}) or the command line
 * ({@code --key value}); {@link PmmConfig} parses each by its type before a command starts, so a
 * bad one stops it naming the key. Readers call the typed getter of the key's type
 * ({@link #intIn}, {@link #longIn}, ...), which falls back to the declared default: no default is
 * written anywhere else.
 */
public enum Setting {
  HTTP_HOST("http.host", Type.STRING, "127.0.0.1", Rule.option("host"), "the address to listen on"),
  HTTP_PORT("http.port", Type.INT, 8080, Rule.between(0, 65535).withOption("port"), "the port to listen on; 0 picks a free one"),
  DATA_DIR("data.dir", Type.STRING, "./data", Rule.option("data"), "where the HSQLDB files live"),
  DB_URL("db.url", Type.STRING, null, Rule.NONE, "a full JDBC URL instead of the file under data.dir"),
  /** HSQLDB's row cache: with db.cache.mb, the ledger's share of memory, whatever its length. */
  DB_CACHE_ROWS("db.cache.rows", Type.LONG, 250_000L, Rule.atLeast(0), "rows HSQLDB keeps in memory"),
  DB_CACHE_MB("db.cache.mb", Type.LONG, 64L, Rule.atLeast(0), "megabytes of row data HSQLDB keeps in memory"),
  /**
   * HSQLDB's log, after which it checkpoints: what a restart after a crash must replay (0.1 to 0.3 s
   * per MB here), against a pause of about 0.1 s per checkpoint while appends wait.
   */
  DB_LOG_MB("db.log.mb", Type.LONG, 8L, Rule.atLeast(0), "HSQLDB's log size in MB, after which it checkpoints"),

  LEDGER_BATCH_MAX("ledger.batch.max", Type.INT, 512, Rule.atLeast(1), "most appends committed in one transaction"),
  /** So that senders who wait for their replies share one synced commit (GroupCommit). */
  LEDGER_COMMIT_DELAY_US("ledger.commit.delay.us", Type.INT, 300, Rule.atLeast(0),
      "microseconds a batch may wait for the last batch's senders to append again; 0: never"),
  LEDGER_EVENT_MAX_BYTES("ledger.event.max.bytes", Type.INT, 256 * 1024, Rule.atLeast(1),
      "most bytes of content plus meta (UTF-8) in one event"),
  LEDGER_READ_LIMIT_MAX("ledger.read.limit.max", Type.INT, 5000, Rule.atLeast(1), "largest page pmm.ledger.read serves"),
  LEDGER_VERIFY_ON_START("ledger.verify.on.start", Type.BOOLEAN, true, Rule.NONE,
      "verify the whole chain in the background after start-up"),
  LEDGER_DISK_RESERVE_MB("ledger.disk.reserve.mb", Type.LONG, 64L, Rule.atLeast(0),
      "megabytes kept free on the data dir's disk; writes that would eat into them are refused; 0: no check"),
  /** Recorded as an event, then appends go on. */
  LEDGER_CHAIN_BREAK_ACKNOWLEDGED("ledger.chain.break.acknowledged", Type.BOOLEAN, false, Rule.NONE,
      "an operator's acknowledgement of a broken chain"),

  CHECKPOINT_EVERY("checkpoint.every", Type.LONG, 1000L, Rule.atLeast(0),
      "a cache checkpoint at every multiple of this event id; 0: none"),
  /** An older checkpoint is the fallback for a corrupt newer one, so at least one is kept. */
  CHECKPOINT_KEEP("checkpoint.keep", Type.INT, 3, Rule.atLeast(1), "checkpoints kept per cache"),
  CONSISTENCY_CHECK_EVERY("consistency.check.every", Type.LONG, 10_000L, Rule.atLeast(0),
      "at every multiple of this event id each cache is compared with a replay; 0: never"),
  REPLAY_PAGE_SIZE("replay.page.size", Type.INT, 2000, Rule.atLeast(1), "events per page when a cache replays"),
  SNAPSHOT_COALESCE_MS("snapshot.coalesce.ms", Type.LONG, 100L, Rule.atLeast(0),
      "at most one pmm.snapshot.changed per this many ms"),
  PROJECTION_EXPIRED_KEEP("projection.expired.keep", Type.INT, 100, Rule.atLeast(0),
      "expired commitments listed in the snapshot (all are counted)"),

  MODEL_PROVIDER("model.provider", Type.STRING, "offline", Rule.oneOf("offline", "openai"), "which chat model answers"),
  MODEL_OFFLINE_TOKEN_DELAY_MS("model.offline.token.delay.ms", Type.LONG, 15L, Rule.atLeast(0),
      "milliseconds between the offline model's tokens; 0: as fast as the event loop allows"),

  TURN_CONTEXT_RECENT("turn.context.recent", Type.INT, 12, Rule.atLeast(0), "conversation events a turn and a reflection see"),
  TURN_TEXT_MAX_CHARS("turn.text.max.chars", Type.INT, 16_000, Rule.atLeast(1), "longest user message"),
  TURN_QUEUE_MAX("turn.queue.max", Type.INT, 32, Rule.atLeast(0),
      "turns waiting behind the running one; beyond it a chat is refused as busy"),

  TICK_INTERVAL_MS("tick.interval.ms", Type.LONG, 10_000L, Rule.atLeast(0), "time between autonomy ticks; 0: no timer"),
  // A timer of 0 ms is refused by Vert.x.
  TICK_MODEL_TIMEOUT_MS("tick.model.timeout.ms", Type.LONG, 20_000L, Rule.atLeast(1),
      "a reflection that takes longer is stopped and recorded as skipped"),
  REFLECTION_MIN_TURNS("reflection.min.turns", Type.INT, 2, Rule.atLeast(0), "replies since the last reflection before the next"),
  REFLECTION_MIN_SECONDS("reflection.min.seconds", Type.LONG, 20L, Rule.atLeast(0),
      "seconds since the last reflection before the next"),
  REFLECTION_GAS_JUMP("reflection.gas.jump", Type.DOUBLE, 0.05, Rule.NONE,
      "a GAS rise this large since the last tick allows a reflection at once"),
  COMMITMENT_TTL_TICKS("commitment.ttl.ticks", Type.LONG, 10L, Rule.atLeast(0),
      "a commitment open longer than this many ticks expires"),

  MEMORY_EMBEDDER("memory.embedder", Type.STRING, "minilm", Rule.oneOf("minilm", "hash"),
      "minilm (all-MiniLM-L6-v2 in process) or hash (word hashing, for tests and as the fallback)"),
  MEMORY_CACHE_SIZE("memory.cache.size", Type.INT, 1000, Rule.atLeast(0), "texts whose vectors the LRU cache keeps"),
  MEMORY_RECALL_WINDOW("memory.recall.window", Type.INT, 2000, Rule.atLeast(1), "newest embedded events recall searches"),
  MEMORY_RECALL_K("memory.recall.k", Type.INT, 5, Rule.atLeast(1), "memories recalled for a turn"),
  MEMORY_RECALL_BUDGET_MS("memory.recall.budget.ms", Type.LONG, 150L, Rule.atLeast(1),
      "recall answers within this many ms or not at all"),

  /** Its variable, PMM_TOKEN, is how it is usually given: it stays out of files and command lines. */
  AUTH_TOKEN("token", Type.STRING, null, Rule.SECRET, "the bearer token /ws, /api and /eventbus require when set"),
  WEB_ALLOWED_HOSTS("web.allowed.hosts", Type.LIST, List.of(), Rule.NONE,
      "names besides the loopback ones and http.host that requests may carry as Host: name or name:port"),
  WEB_ALLOWED_ORIGINS("web.allowed.origins", Type.LIST, List.of(), Rule.NONE,
      "origins allowed besides the page's own on /ws, /eventbus and non-GET /api"),
  WEB_WS_MAX_FRAME_BYTES("web.ws.max.frame.bytes", Type.INT, 64 * 1024, Rule.atLeast(1),
      "largest /ws frame answered normally"),
  /** Per client (a token's holder, else a remote address), so that more connections buy no more turns. */
  WEB_TURNS_PER_MINUTE("web.turns.per.minute", Type.INT, 30, Rule.atLeast(0),
      "turns one client may start per minute over REST, /ws and the bridge; 0: no limit"),
  WEB_CONNECTIONS_MAX("web.connections.max", Type.INT, 256, Rule.atLeast(0),
      "open /ws and bridge connections, all clients together; more are refused as busy"),

  MODEL_OPENAI_BASE_URL("model.openai.base.url", Type.STRING, "https://api.openai.com/v1", Rule.NONE,
      "the OpenAI-compatible endpoint; /chat/completions is appended"),
  MODEL_OPENAI_MODEL("model.openai.model", Type.STRING, "gpt-4o-mini", Rule.NONE, "the model name sent in each request"),
  /** The key itself is never in the configuration: only the name of the variable that holds it. */
  MODEL_OPENAI_API_KEY_ENV("model.openai.api.key.env", Type.STRING, "OPENAI_API_KEY", Rule.NONE,
      "the environment variable holding the API key"),
  MODEL_OPENAI_CONNECT_TIMEOUT_MS("model.openai.connect.timeout.ms", Type.INT, 5000, Rule.atLeast(1),
      "connecting longer than this fails with connect"),
  MODEL_OPENAI_IDLE_TIMEOUT_MS("model.openai.idle.timeout.ms", Type.LONG, 30_000L, Rule.atLeast(1),
      "no bytes from the server for this long fails with timeout"),
  MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS("model.openai.first.token.timeout.ms", Type.LONG, 0L, Rule.atLeast(0),
      "above 0: the wait allowed for the first token; 0: the idle timeout applies from the request on"),
  MODEL_OPENAI_RETRIES("model.openai.retries", Type.INT, 3, Rule.atLeast(0),
      "further attempts on a refused connection, 429 or 5xx, only before the first token"),
  MODEL_OPENAI_RETRY_BACKOFF_MS("model.openai.retry.backoff.ms", Type.LONG, 500L, Rule.atLeast(0),
      "the wait before the first retry, doubled each time"),
  // Below 0 and 0 are not errors: they leave the parameter out, which reasoning models require.
  MODEL_OPENAI_TEMPERATURE("model.openai.temperature", Type.DOUBLE, 0.7, Rule.NONE, "below 0 leaves it out"),
  MODEL_OPENAI_MAX_TOKENS("model.openai.max.tokens", Type.INT, 512, Rule.NONE, "0 leaves it out");

  /**
   * Keys that were removed, with what replaced them: an operator who still sets one is told rather
   * than silently given the new key's default.
   */
  public static final Map<String, String> RETIRED = Map.of(
      "web.ws.turns.per.minute", "was replaced by web.turns.per.minute (PMM_WEB_TURNS_PER_MINUTE), which counts the "
          + "turns of one client across /ws, REST and the bridge rather than of one /ws connection; set that instead");

  public enum Type {
    INT, LONG, DOUBLE, BOOLEAN, STRING,
    /** Comma-separated in the environment and on the command line; a JSON array or that string in a file. */
    LIST
  }

  /**
   * What a value must be besides its type.
   *
   * @param min     null: the type's own bound
   * @param choices empty: any text
   * @param secret  the value is never printed
   * @param option  a short command-line name besides {@code --key}, or null
   */
  public record Rule(Long min, Long max, List<String> choices, boolean secret, String option) {
    public static final Rule NONE = new Rule(null, null, List.of(), false, null);
    public static final Rule SECRET = new Rule(null, null, List.of(), true, null);

    static Rule atLeast(long min) {
      return new Rule(min, null, List.of(), false, null);
    }

    static Rule between(long min, long max) {
      return new Rule(min, max, List.of(), false, null);
    }

    static Rule oneOf(String... choices) {
      return new Rule(null, null, List.of(choices), false, null);
    }

    static Rule option(String name) {
      return NONE.withOption(name);
    }

    Rule withOption(String name) {
      return new Rule(min, max, choices, secret, name);
    }
  }

  private final String key;
  private final Type type;
  private final Object fallback;
  private final Rule rule;
  private final String meaning;

  Setting(String key, Type type, Object fallback, Rule rule, String meaning) {
    this.key = key;
    this.type = type;
    this.fallback = fallback;
    this.rule = rule;
    this.meaning = meaning;
  }

  public String key() {
    return key;
  }

  public Type type() {
    return type;
  }

  /** The default: an Integer, Long, Double, Boolean, String or List of String; null when there is none. */
  public Object defaultValue() {
    return fallback;
  }

  public Rule rule() {
    return rule;
  }

  public String meaning() {
    return meaning;
  }

  public boolean secret() {
    return rule.secret();
  }

  /** {@code PMM_} + the key upper-cased with dots as underscores. */
  public String envName() {
    return envName(key);
  }

  public static String envName(String key) {
    return "PMM_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  public static Optional<Setting> byKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }

  /** The setting a command-line option names: its key, or its short {@link Rule#option()}. */
  public static Optional<Setting> byOption(String name) {
    return Arrays.stream(values()).filter(s -> s.key.equals(name) || name.equals(s.rule.option())).findFirst();
  }

  public int intIn(JsonObject config) {
    return (Integer) in(config, Type.INT);
  }

  public long longIn(JsonObject config) {
    return (Long) in(config, Type.LONG);
  }

  public double doubleIn(JsonObject config) {
    return (Double) in(config, Type.DOUBLE);
  }

  public boolean booleanIn(JsonObject config) {
    return (Boolean) in(config, Type.BOOLEAN);
  }

  /** Null when the key is unset and has no default. */
  public String stringIn(JsonObject config) {
    return (String) in(config, Type.STRING);
  }

  @SuppressWarnings("unchecked")
  public List<String> listIn(JsonObject config) {
    return (List<String>) in(config, Type.LIST);
  }

  private Object in(JsonObject config, Type asked) {
    if (asked != type) {
      throw new IllegalStateException(key + " is declared " + type + ", not " + asked);
    }
    Object value = config.getValue(key);
    // A config built in code (tests, bench) is checked as one read from a file would be.
    return value == null ? fallback : parse(value, null);
  }

  /**
   * The value as this key's type, from a JSON value or from text (the environment, the command line).
   *
   * @param from where it came from, for the message; null when not known
   * @throws IllegalArgumentException naming the key, its variable and what it expects
   */
  public Object parse(Object value, String from) {
    Object parsed = switch (type) {
      case INT, LONG -> whole(value);
      case DOUBLE -> decimal(value);
      case BOOLEAN -> value instanceof Boolean b ? b
          : value instanceof String s && (s.strip().equalsIgnoreCase("true") || s.strip().equalsIgnoreCase("false"))
          ? Boolean.valueOf(s.strip()) : null;
      case STRING -> value instanceof String s ? choice(s) : null;
      case LIST -> list(value);
    };
    if (parsed == null) {
      throw new IllegalArgumentException(key + " (" + envName() + ") must be " + expects() + ", not "
          + (secret() ? "the value given" : value instanceof String ? "\"" + value + "\"" : String.valueOf(value))
          + (from == null ? "" : " (from " + from + ")"));
    }
    return parsed;
  }

  /** What a value must be, as an error message says it. */
  public String expects() {
    return switch (type) {
      case INT, LONG -> {
        long min = min();
        long max = max();
        // An int's upper bound is worth saying (2^31 - 1 is within reach of a typo); a long's is not.
        yield type == Type.LONG && rule.max() == null && rule.min() != null ? "a whole number, " + min + " or more"
            : "a whole number from " + min + " to " + max;
      }
      case DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      case STRING -> rule.choices().isEmpty() ? "text" : "one of " + String.join(", ", rule.choices());
      case LIST -> "a comma-separated list";
    };
  }

  /** The default as README's tables show it. */
  public String defaultText() {
    if (fallback == null || fallback instanceof List<?> l && l.isEmpty()) {
      return "(none)";
    }
    return fallback instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(",")) : fallback.toString();
  }

  private long min() {
    return rule.min() != null ? rule.min() : type == Type.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
  }

  private long max() {
    return rule.max() != null ? rule.max() : type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
  }

  private Object whole(Object value) {
    long n;
    try {
      // BigDecimal takes 512, 512.0 and "512" alike and refuses "0x20", "1e3d", "NaN" and friends.
      BigDecimal exact = value instanceof Number || value instanceof String ? new BigDecimal(value.toString().strip()) : null;
      if (exact == null) {
        return null;
      }
      n = exact.longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
    if (n < min() || n > max()) {
      return null;
    }
    return type == Type.INT ? (Object) (int) n : (Object) n;
  }

  private static Double decimal(Object value) {
    if (!(value instanceof Number || value instanceof String)) {
      return null;
    }
    try {
      double d = new BigDecimal(value.toString().strip()).doubleValue();
      return Double.isInfinite(d) ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String choice(String value) {
    if (rule.choices().isEmpty()) {
      return value;
    }
    String wanted = value.strip().toLowerCase(Locale.ROOT);
    return rule.choices().contains(wanted) ? wanted : null;
  }

  private static List<String> list(Object value) {
    List<String> items = new ArrayList<>();
    if (value instanceof String s) {
      for (String item : s.split(",")) {
        items.add(item);
      }
    } else if (value instanceof JsonArray || value instanceof List<?>) {
      for (Object item : value instanceof JsonArray a ? a.getList() : (List<?>) value) {
        if (!(item instanceof String s)) {
          return null;
        }
        items.add(s);
      }
    } else {
      return null;
    }
    return items.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
