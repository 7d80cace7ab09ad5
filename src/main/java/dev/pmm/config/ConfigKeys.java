package dev.pmm.config;

/**
 * The keys' names as constants, for code that builds a configuration (tests, the benchmark). Each
 * key is declared once, with its type, default and meaning, in {@link Setting}.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String HTTP_HOST = Setting.HTTP_HOST.key();
  public static final String HTTP_PORT = Setting.HTTP_PORT.key();
  public static final String DATA_DIR = Setting.DATA_DIR.key();
  public static final String DB_URL = Setting.DB_URL.key();
  public static final String DB_CACHE_ROWS = Setting.DB_CACHE_ROWS.key();
  public static final String DB_CACHE_MB = Setting.DB_CACHE_MB.key();
  public static final String DB_LOG_MB = Setting.DB_LOG_MB.key();
  public static final String LEDGER_BATCH_MAX = Setting.LEDGER_BATCH_MAX.key();
  public static final String LEDGER_COMMIT_DELAY_US = Setting.LEDGER_COMMIT_DELAY_US.key();
  public static final String LEDGER_EVENT_MAX_BYTES = Setting.LEDGER_EVENT_MAX_BYTES.key();
  public static final String LEDGER_READ_LIMIT_MAX = Setting.LEDGER_READ_LIMIT_MAX.key();
  public static final String LEDGER_VERIFY_ON_START = Setting.LEDGER_VERIFY_ON_START.key();
  public static final String LEDGER_DISK_RESERVE_MB = Setting.LEDGER_DISK_RESERVE_MB.key();
  public static final String LEDGER_CHAIN_BREAK_ACKNOWLEDGED = Setting.LEDGER_CHAIN_BREAK_ACKNOWLEDGED.key();
  public static final String CHECKPOINT_EVERY = Setting.CHECKPOINT_EVERY.key();
  public static final String CHECKPOINT_KEEP = Setting.CHECKPOINT_KEEP.key();
  public static final String CONSISTENCY_CHECK_EVERY = Setting.CONSISTENCY_CHECK_EVERY.key();
  public static final String REPLAY_PAGE_SIZE = Setting.REPLAY_PAGE_SIZE.key();
  public static final String SNAPSHOT_COALESCE_MS = Setting.SNAPSHOT_COALESCE_MS.key();
  public static final String PROJECTION_EXPIRED_KEEP = Setting.PROJECTION_EXPIRED_KEEP.key();
  public static final String MODEL_PROVIDER = Setting.MODEL_PROVIDER.key();
  public static final String MODEL_OFFLINE_TOKEN_DELAY_MS = Setting.MODEL_OFFLINE_TOKEN_DELAY_MS.key();
  public static final String TURN_CONTEXT_RECENT = Setting.TURN_CONTEXT_RECENT.key();
  public static final String TURN_TEXT_MAX_CHARS = Setting.TURN_TEXT_MAX_CHARS.key();
  public static final String TURN_QUEUE_MAX = Setting.TURN_QUEUE_MAX.key();
  public static final String TICK_INTERVAL_MS = Setting.TICK_INTERVAL_MS.key();
  public static final String TICK_MODEL_TIMEOUT_MS = Setting.TICK_MODEL_TIMEOUT_MS.key();
  public static final String REFLECTION_MIN_TURNS = Setting.REFLECTION_MIN_TURNS.key();
  public static final String REFLECTION_MIN_SECONDS = Setting.REFLECTION_MIN_SECONDS.key();
  public static final String REFLECTION_GAS_JUMP = Setting.REFLECTION_GAS_JUMP.key();
  public static final String COMMITMENT_TTL_TICKS = Setting.COMMITMENT_TTL_TICKS.key();
  public static final String MEMORY_EMBEDDER = Setting.MEMORY_EMBEDDER.key();
  public static final String MEMORY_CACHE_SIZE = Setting.MEMORY_CACHE_SIZE.key();
  public static final String MEMORY_RECALL_WINDOW = Setting.MEMORY_RECALL_WINDOW.key();
  public static final String MEMORY_RECALL_K = Setting.MEMORY_RECALL_K.key();
  public static final String MEMORY_RECALL_BUDGET_MS = Setting.MEMORY_RECALL_BUDGET_MS.key();
  public static final String AUTH_TOKEN = Setting.AUTH_TOKEN.key();
  public static final String WEB_ALLOWED_HOSTS = Setting.WEB_ALLOWED_HOSTS.key();
  public static final String WEB_ALLOWED_ORIGINS = Setting.WEB_ALLOWED_ORIGINS.key();
  public static final String WEB_WS_MAX_FRAME_BYTES = Setting.WEB_WS_MAX_FRAME_BYTES.key();
  public static final String WEB_TURNS_PER_MINUTE = Setting.WEB_TURNS_PER_MINUTE.key();
  public static final String WEB_CONNECTIONS_MAX = Setting.WEB_CONNECTIONS_MAX.key();
  public static final String MODEL_OPENAI_BASE_URL = Setting.MODEL_OPENAI_BASE_URL.key();
  public static final String MODEL_OPENAI_MODEL = Setting.MODEL_OPENAI_MODEL.key();
  public static final String MODEL_OPENAI_API_KEY_ENV = Setting.MODEL_OPENAI_API_KEY_ENV.key();
  public static final String MODEL_OPENAI_CONNECT_TIMEOUT_MS = Setting.MODEL_OPENAI_CONNECT_TIMEOUT_MS.key();
  public static final String MODEL_OPENAI_IDLE_TIMEOUT_MS = Setting.MODEL_OPENAI_IDLE_TIMEOUT_MS.key();
  public static final String MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS = Setting.MODEL_OPENAI_FIRST_TOKEN_TIMEOUT_MS.key();
  public static final String MODEL_OPENAI_RETRIES = Setting.MODEL_OPENAI_RETRIES.key();
  public static final String MODEL_OPENAI_RETRY_BACKOFF_MS = Setting.MODEL_OPENAI_RETRY_BACKOFF_MS.key();
  public static final String MODEL_OPENAI_TEMPERATURE = Setting.MODEL_OPENAI_TEMPERATURE.key();
  public static final String MODEL_OPENAI_MAX_TOKENS = Setting.MODEL_OPENAI_MAX_TOKENS.key();

  public static String envName(String key) {
    return Setting.envName(key);
  }
}
