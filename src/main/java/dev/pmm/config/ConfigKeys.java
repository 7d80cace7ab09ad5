package dev.pmm.config;

import java.util.List;

/**
 * Every configuration key, in one place. Each is overridable by the environment variable
 * {@code PMM_} + the key upper-cased with dots as underscores, and by the command line.
 * Defaults live where a value is read.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String DATA_DIR = "data.dir";
  /** A full JDBC URL; when absent the ledger is an HSQLDB file under {@link #DATA_DIR}. */
  public static final String DB_URL = "db.url";

  /** HSQLDB's row cache: the ledger's share of memory, whatever its length. */
  public static final String DB_CACHE_ROWS = "db.cache.rows";
  public static final String DB_CACHE_MB = "db.cache.mb";
  /**
   * HSQLDB's log, after which it checkpoints: what a restart after a crash must replay (0.1 to 0.25 s
   * per MB here), against a pause of about 0.1 s per checkpoint while appends wait.
   */
  public static final String DB_LOG_MB = "db.log.mb";

  public static final String LEDGER_BATCH_MAX = "ledger.batch.max";
  /** The longest a batch waits for the last batch's senders to append again (GroupCommit); 0: never. */
  public static final String LEDGER_COMMIT_DELAY_US = "ledger.commit.delay.us";
  public static final String LEDGER_EVENT_MAX_BYTES = "ledger.event.max.bytes";
  public static final String LEDGER_READ_LIMIT_MAX = "ledger.read.limit.max";
  /** Verify the whole chain in the background after start-up; a break turns /health DEGRADED. */
  public static final String LEDGER_VERIFY_ON_START = "ledger.verify.on.start";
  /** An operator's acknowledgement of a broken chain: recorded as an event, then appends go on. */
  public static final String LEDGER_CHAIN_BREAK_ACKNOWLEDGED = "ledger.chain.break.acknowledged";
  /** Megabytes kept free on the data dir's disk: writes that would eat into them are refused; 0 turns the check off. */
  public static final String LEDGER_DISK_RESERVE_MB = "ledger.disk.reserve.mb";

  public static final String CHECKPOINT_EVERY = "checkpoint.every";
  public static final String CHECKPOINT_KEEP = "checkpoint.keep";
  public static final String CONSISTENCY_CHECK_EVERY = "consistency.check.every";
  public static final String REPLAY_PAGE_SIZE = "replay.page.size";

  public static final String SNAPSHOT_COALESCE_MS = "snapshot.coalesce.ms";
  public static final String PROJECTION_EXPIRED_KEEP = "projection.expired.keep";

  public static final String TURN_CONTEXT_RECENT = "turn.context.recent";
  public static final String TURN_TEXT_MAX_CHARS = "turn.text.max.chars";
  /** Turns waiting behind the running one; beyond it a chat is refused as busy. */
  public static final String TURN_QUEUE_MAX = "turn.queue.max";

  public static final String TICK_INTERVAL_MS = "tick.interval.ms";
  public static final String TICK_MODEL_TIMEOUT_MS = "tick.model.timeout.ms";
  public static final String REFLECTION_MIN_TURNS = "reflection.min.turns";
  public static final String REFLECTION_MIN_SECONDS = "reflection.min.seconds";
  public static final String REFLECTION_GAS_JUMP = "reflection.gas.jump";
  public static final String COMMITMENT_TTL_TICKS = "commitment.ttl.ticks";

  /** The auth token for /ws, /api and /eventbus; its variable is PMM_TOKEN. */
  public static final String AUTH_TOKEN = "token";
  /** Names besides 127.0.0.1, localhost and [::1] (and http.host) that requests may carry as Host: "name" or "name:port". */
  public static final String WEB_ALLOWED_HOSTS = "web.allowed.hosts";
  public static final String WEB_ALLOWED_ORIGINS = "web.allowed.origins";
  public static final String WEB_WS_MAX_FRAME_BYTES = "web.ws.max.frame.bytes";
  /** Turns one client (a token's holder, else a remote address) may start per minute over REST, /ws and the bridge. */
  public static final String WEB_TURNS_PER_MINUTE = "web.turns.per.minute";
  /** Open /ws and bridge connections, all clients together; more are refused as busy (each may hold a bounded backlog). */
  public static final String WEB_CONNECTIONS_MAX = "web.connections.max";

  /** The OpenAI-compatible chat model (dev.pmm.model.OpenAiModel). */
  public static final String MODEL_OPENAI_BASE_URL = "model.openai.base.url";
  public static final String MODEL_OPENAI_MODEL = "model.openai.model";
  /** The name of the environment variable that holds the API key; the key is never in the config file. */
  public static final String MODEL_OPENAI_API_KEY_ENV = "model.openai.api.key.env";
  public static final String MODEL_OPENAI_CONNECT_TIMEOUT_MS = "model.openai.connect.timeout.ms";
  public static final String MODEL_OPENAI_IDLE_TIMEOUT_MS = "model.openai.idle.timeout.ms";
  /** 0: the idle timeout applies from the request on; above 0: the wait allowed for the first token. */
  public static final String MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS = "model.openai.first.token.timeout.ms";
  public static final String MODEL_OPENAI_RETRIES = "model.openai.retries";
  public static final String MODEL_OPENAI_RETRY_BACKOFF_MS = "model.openai.retry.backoff.ms";
  public static final String MODEL_OPENAI_TEMPERATURE = "model.openai.temperature";
  public static final String MODEL_OPENAI_MAX_TOKENS = "model.openai.max.tokens";

  // model.offline
  /** Which chat model answers: "offline" (the rule-based stand-in) or another provider's name. */
  public static final String MODEL_PROVIDER = "model.provider";
  /** Milliseconds between the offline model's tokens; 0 streams them as fast as the event loop allows. */
  public static final String MODEL_OFFLINE_TOKEN_DELAY_MS = "model.offline.token.delay.ms";

  /** "minilm" (all-MiniLM-L6-v2 in process) or "hash" (word hashing, for tests and as the fallback). */
  public static final String MEMORY_EMBEDDER = "memory.embedder";
  public static final String MEMORY_CACHE_SIZE = "memory.cache.size";
  public static final String MEMORY_RECALL_WINDOW = "memory.recall.window";
  public static final String MEMORY_RECALL_K = "memory.recall.k";
  public static final String MEMORY_RECALL_BUDGET_MS = "memory.recall.budget.ms";

  public static final List<String> ALL = List.of(
      HTTP_HOST, HTTP_PORT, DATA_DIR, DB_URL, DB_CACHE_ROWS, DB_CACHE_MB, DB_LOG_MB,
      LEDGER_BATCH_MAX, LEDGER_COMMIT_DELAY_US, LEDGER_EVENT_MAX_BYTES, LEDGER_READ_LIMIT_MAX, LEDGER_VERIFY_ON_START, LEDGER_CHAIN_BREAK_ACKNOWLEDGED,
      LEDGER_DISK_RESERVE_MB,
      CHECKPOINT_EVERY, CHECKPOINT_KEEP, CONSISTENCY_CHECK_EVERY, REPLAY_PAGE_SIZE,
      SNAPSHOT_COALESCE_MS, PROJECTION_EXPIRED_KEEP,
      TURN_CONTEXT_RECENT, TURN_TEXT_MAX_CHARS, TURN_QUEUE_MAX,
      TICK_INTERVAL_MS, TICK_MODEL_TIMEOUT_MS, REFLECTION_MIN_TURNS, REFLECTION_MIN_SECONDS, REFLECTION_GAS_JUMP,
      COMMITMENT_TTL_TICKS,
      AUTH_TOKEN, WEB_ALLOWED_HOSTS, WEB_ALLOWED_ORIGINS, WEB_WS_MAX_FRAME_BYTES, WEB_TURNS_PER_MINUTE,
      WEB_CONNECTIONS_MAX,
      MODEL_OPENAI_BASE_URL, MODEL_OPENAI_MODEL, MODEL_OPENAI_API_KEY_ENV, MODEL_OPENAI_CONNECT_TIMEOUT_MS,
      MODEL_OPENAI_IDLE_TIMEOUT_MS, MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS, MODEL_OPENAI_RETRIES,
      MODEL_OPENAI_RETRY_BACKOFF_MS, MODEL_OPENAI_TEMPERATURE, MODEL_OPENAI_MAX_TOKENS,
      // model.offline
      MODEL_PROVIDER, MODEL_OFFLINE_TOKEN_DELAY_MS,
      MEMORY_EMBEDDER, MEMORY_CACHE_SIZE, MEMORY_RECALL_WINDOW, MEMORY_RECALL_K, MEMORY_RECALL_BUDGET_MS);

  public static String envName(String key) {
    return "PMM_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }
}
