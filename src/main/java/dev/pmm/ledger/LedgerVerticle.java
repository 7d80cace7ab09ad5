package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.config.ConfigKeys;
import dev.pmm.config.PmmConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The storage verticle and the only writer of the ledger. Appends queue here; each batch is one
 * transaction, and every reply waits for its commit. Every read it serves is counted, so that tests
 * can prove which paths touch storage.
 */
public class LedgerVerticle extends VerticleBase {

  /** Event-bus failure codes, as HTTP would say them. */
  public static final int BAD_REQUEST = 400;
  public static final int STORAGE_ERROR = 500;
  public static final int UNAVAILABLE = 503;

  private static final Logger LOG = Logger.getLogger(LedgerVerticle.class.getName());
  private static final HashRule RULE = HashRule.PMM_2025;
  private static final int VERIFY_PAGE = 5000;

  private record Pending(AppendRequest request, Message<Object> message) {}

  private Pool pool;
  private JDBCConnectOptions connectOptions;
  /** The writing connection and the one thread that uses it: a batch is one hop there and back. */
  private BatchWriter writer;
  /** What the writer is wrapped in once opened: nothing in production; see the constructor below. */
  private final UnaryOperator<BatchWriter> wrapWriter;
  private WorkerExecutor writerThread;
  private int batchMax;
  private int maxEventBytes;
  private int readLimitMax;
  private int checkpointKeep;

  private long lastId;
  private String lastHash;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private boolean writing;
  private GroupCommit groupCommit;
  private int readersOpening;
  private boolean stopping;

  private long appends;
  private long batches;
  private long commitWaits;
  private long readCalls;
  private long readRows;
  private long fullScans;
  private long checkpointsSaved;
  private long embeddingsSaved;
  private String storageError;
  /** The background verification of the chain at start-up: null until it has run. */
  private JsonObject integrity;
  /** What was verified before the ledger served anything: {after_event, events, ok}. */
  private JsonObject verifiedBeforeServing;
  private final SharedVerification verification = new SharedVerification();
  /** Why appends are refused (a broken chain nobody acknowledged), or null. */
  private String appendsStoppedBy;
  private StorageGuard storage;
  private final RowReader.Kept readers = new RowReader.Kept(() -> {
    Connection connection = DriverManager.getConnection(connectOptions.getJdbcUrl(), connectOptions.getUser(),
        connectOptions.getPassword());
    connection.setReadOnly(true);
    return connection;
  });

  public LedgerVerticle() {
    this(UnaryOperator.identity());
  }

  /**
   * A ledger whose real writer is handed to {@code wrapWriter} once opened, and whose batches go
   * through what that returns. For tests that must hold or fail a commit at a moment they choose
   * (CommitOrderTest): a wrapper rather than a replacement, so the batches still reach HSQLDB
   * through the real writer, and a constructor rather than a config key, so nothing outside this
   * package and its tests can reach it.
   */
  LedgerVerticle(UnaryOperator<BatchWriter> wrapWriter) {
    this.wrapWriter = wrapWriter;
  }

  @Override
  public Future<?> start() {
    JsonObject config = config();
    batchMax = config.getInteger(ConfigKeys.LEDGER_BATCH_MAX, 512);
    groupCommit = new GroupCommit(config.getInteger(ConfigKeys.LEDGER_COMMIT_DELAY_US, 300));
    maxEventBytes = config.getInteger(ConfigKeys.LEDGER_EVENT_MAX_BYTES, 256 * 1024);
    readLimitMax = config.getInteger(ConfigKeys.LEDGER_READ_LIMIT_MAX, 5000);
    checkpointKeep = Math.max(1, config.getInteger(ConfigKeys.CHECKPOINT_KEEP, 3));
    String url = PmmConfig.jdbcUrl(config);
    storage = new StorageGuard(vertx, url, config.getLong(ConfigKeys.LEDGER_DISK_RESERVE_MB, 64L));
    // autoGeneratedKeys=false: with it, HSQLDB fails a SELECT after an INSERT on one connection.
    connectOptions = new JDBCConnectOptions().setJdbcUrl(storage.jdbcUrl()).setUser("SA").setPassword("")
        .setAutoGeneratedKeys(false);
    pool = JDBCPool.pool(vertx, connectOptions, new PoolOptions().setMaxSize(4));
    writerThread = vertx.createSharedWorkerExecutor("pmm-ledger-writer-" + System.identityHashCode(this), 1);
    return storage.checkDataDir()
        .compose(v -> storage.open(pool))
        .compose(v -> createSchema())
        .compose(v -> loadHead())
        .compose(v -> loadLastVerification())
        .compose(v -> writerThread.executeBlocking(() -> writer = wrapWriter.apply(new EventWriter(DriverManager.getConnection(
            connectOptions.getJdbcUrl(), connectOptions.getUser(), connectOptions.getPassword())))))
        .compose(v -> verifyBeforeServing())
        .recover(e -> {
          // stop() is not called for a verticle that failed to start.
          writerThread.close();
          storage.close();
          return Future.failedFuture(e instanceof DataDir.Unusable ? e : new IllegalStateException(openFailure(url, e), e));
        })
        .onSuccess(tail -> {
          registerConsumers();
          if (tail.covered() == 0) {
            chainVerified(tail.verifier());
          } else if (!tail.verifier().ok() || config.getBoolean(ConfigKeys.LEDGER_VERIFY_ON_START, true)) {
            verifyInBackground();
          }
        });
  }

  /** The events verified before serving: those after the checkpoint at {@code covered} (0: all of them). */
  private record TailCheck(long covered, ChainVerifier verifier) {}

  /**
   * The events after the newest checkpoint that matches the ledger are those the caches replay at
   * start-up; they are verified before anything is served, so that a broken tail stops appends from
   * the first moment. The cost is the tail's, not the ledger's; the rest waits for the background.
   */
  private Future<TailCheck> verifyBeforeServing() {
    return countedQuery(SqlQueries.CHECKPOINT_ANCHOR, Tuple.tuple()).compose(rows -> {
      long anchorId = 0;
      String anchorHash = null;
      for (Row row : rows) {
        anchorId = row.getLong(0);
        anchorHash = row.getString(1);
      }
      ChainVerifier verifier = anchorId == 0 ? new ChainVerifier(RULE) : ChainVerifier.after(RULE, anchorId, anchorHash);
      if (anchorId == 0) {
        fullScans++;
      }
      TailCheck tail = new TailCheck(anchorId, verifier);
      return scan(anchorId, lastId, VERIFY_PAGE, verifier::acceptAll).map(v -> tail);
    }).onSuccess(tail -> {
      verifiedBeforeServing = new JsonObject().put("after_event", tail.covered()).put("events", tail.verifier().events())
          .put("ok", tail.verifier().ok());
      if (!tail.verifier().ok()) {
        // Until the whole chain is verified, the tail's breaks are what /health can say.
        integrity = integrityOf(tail.verifier(), false);
        stopAppends(tail.verifier().breaks().get(0));
      }
    });
  }

  /** The whole chain, verified once after start-up without holding the start back. */
  private void verifyInBackground() {
    verifyWhole(lastId, "start").onComplete(ar -> {
      if (ar.failed()) {
        integrity = new JsonObject().put("ok", false).put("whole_chain", true).put("error", ar.cause().getMessage());
      } else {
        chainVerified(ar.result().verifier());
      }
    });
  }

  /** Every hash and link up to {@code upTo}: the scan in progress if there is one (whatever its extent), else a new one. */
  private Future<SharedVerification.Result> verifyWhole(long upTo, String source) {
    return verification.join(upTo, source, at -> new ChainVerifier(RULE), verifier -> {
      fullScans++;
      return scan(0, upTo, VERIFY_PAGE, verifier::acceptAll);
    }, this::recordVerification);
  }

  private Future<Void> recordVerification(JsonObject report) {
    @SuppressWarnings("unchecked")
    List<Object> breaks = report.getJsonArray("breaks").getList();
    String firstBreak = breaks.isEmpty() ? null : new JsonObject((Map<String, Object>) breaks.get(0)).encode();
    Tuple row = Tuple.of(report.getString("source"), report.getLong("up_to"), report.getString("up_to_hash"),
        report.getBoolean("ok"), report.getLong("break_count"), firstBreak, report.getString("started_at"),
        report.getString("verified_at"));
    return storage.transaction(conn -> conn.preparedQuery(SqlQueries.VERIFICATION_INSERT).execute(row)).mapEmpty();
  }

  private Future<Void> loadLastVerification() {
    return countedQuery(SqlQueries.VERIFICATION_NEWEST, Tuple.tuple()).map(rows -> {
      for (Row row : rows) {
        verification.remember(new JsonObject().put("source", row.getString(0)).put("up_to", row.getLong(1))
            .put("up_to_hash", row.getString(2)).put("ok", row.getBoolean(3)).put("break_count", row.getLong(4))
            .put("first_break", row.getString(5) == null ? null : new JsonObject(row.getString(5)))
            .put("started_at", row.getString(6)).put("verified_at", row.getString(7)));
      }
      return null;
    });
  }

  private static JsonObject integrityOf(ChainVerifier verifier, boolean wholeChain) {
    JsonObject report = new JsonObject().put("ok", verifier.ok()).put("whole_chain", wholeChain)
        .put("events", verifier.events()).put("break_count", verifier.report().get("break_count"));
    if (!verifier.ok()) {
      report.put("first_break", new JsonObject(verifier.breaks().get(0).toMap()));
    }
    return report;
  }

  private void chainVerified(ChainVerifier verifier) {
    integrity = integrityOf(verifier, true);
    if (verifier.ok()) {
      return;
    }
    ChainVerifier.Break first = verifier.breaks().get(0);
    if (config().getBoolean(ConfigKeys.LEDGER_CHAIN_BREAK_ACKNOWLEDGED, false)) {
      acknowledge(first, verifier);
    } else {
      stopAppends(first);
    }
  }

  private void stopAppends(ChainVerifier.Break first) {
    LOG.severe("the ledger's chain is broken at event " + first.id() + " (" + first.reason() + "): " + first.detail());
    appendsStoppedBy = "the chain is broken at event " + first.id() + " (" + first.reason() + "); appends are stopped"
        + " until an operator restarts the server with " + ConfigKeys.LEDGER_CHAIN_BREAK_ACKNOWLEDGED
        + "=true (" + ConfigKeys.envName(ConfigKeys.LEDGER_CHAIN_BREAK_ACKNOWLEDGED) + "=true), which records a "
        + "chain_break_acknowledged event";
  }

  /** The operator's answer to a broken chain: recorded once in the ledger itself, then appends go on. */
  private void acknowledge(ChainVerifier.Break first, ChainVerifier verifier) {
    integrity.put("acknowledged", true);
    appendsStoppedBy = null;
    JsonObject query = new JsonObject().put("before", Long.MAX_VALUE).put("limit", 1).put("kind", "chain_break_acknowledged");
    vertx.eventBus().<JsonObject>request(Addresses.LEDGER_READ, query).compose(reply -> {
      JsonArray earlier = reply.body().getJsonArray("events");
      boolean recorded = !earlier.isEmpty() && earlier.getJsonObject(0).getJsonObject("meta")
          .getJsonObject("first_break", new JsonObject()).getLong("id", -1L) == first.id();
      if (recorded) {
        return Future.succeededFuture();
      }
      JsonArray listed = new JsonArray();
      verifier.breaks().stream().limit(20).forEach(b -> listed.add(new JsonObject(b.toMap())));
      return vertx.eventBus().request(Addresses.LEDGER_APPEND, new JsonObject().put("kind", "chain_break_acknowledged")
          .put("content", "An operator acknowledged the broken chain; appends go on after it.")
          .put("meta", new JsonObject().put("first_break", new JsonObject(first.toMap()))
              .put("break_count", verifier.report().get("break_count")).put("breaks", listed)));
    }).onFailure(e -> LOG.severe("could not record chain_break_acknowledged: " + e.getMessage()));
  }

  private static String openFailure(String url, Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (StorageFaults.classify(e) != StorageFaults.Kind.OTHER) {
      // HSQLDB says "lock acquisition failure" for a lock file it cannot create, too.
      return "cannot open the ledger " + url + ": " + StorageFaults.describe(e);
    }
    if (message.contains("lockFile") || message.contains("lock acquisition")) {
      return "the ledger " + url + " is in use by another PMM process (HSQLDB lock file); stop it first";
    }
    return "cannot open the ledger " + url + ": " + message;
  }

  private Future<Void> createSchema() {
    List<String> statements = new ArrayList<>(SqlQueries.SCHEMA);
    statements.add(SqlQueries.cacheRows(config().getLong(ConfigKeys.DB_CACHE_ROWS, 250_000L)));
    statements.add(SqlQueries.cacheSize(config().getLong(ConfigKeys.DB_CACHE_MB, 64L) * 1024));
    statements.add(SqlQueries.logSize(config().getLong(ConfigKeys.DB_LOG_MB, 8L)));
    Future<Void> chain = Future.succeededFuture();
    for (String ddl : statements) {
      chain = chain.compose(v -> pool.query(ddl).execute().mapEmpty());
    }
    return chain;
  }

  private Future<Void> loadHead() {
    return countedQuery(SqlQueries.LAST_EVENT, Tuple.tuple()).map(rows -> {
      for (Row row : rows) {
        lastId = row.getLong(0);
        lastHash = row.getString(1);
      }
      return null;
    });
  }

  private void registerConsumers() {
    EventBus bus = vertx.eventBus();
    bus.consumer(Addresses.LEDGER_APPEND, this::onAppend);
    bus.<JsonObject>consumer(Addresses.LEDGER_READ, msg -> guarded(msg, () -> onRead(msg)));
    bus.<JsonObject>consumer(Addresses.LEDGER_VERIFY, msg -> guarded(msg, () -> onVerify(msg)));
    bus.consumer(Addresses.LEDGER_VERIFY_STATUS, msg -> msg.reply(verification.progress()));
    bus.consumer(Addresses.LEDGER_STATUS, msg -> msg.reply(status()));
    bus.<JsonObject>consumer(Addresses.CHECKPOINT_SAVE, msg -> guarded(msg, () -> onCheckpointSave(msg)));
    bus.<JsonObject>consumer(Addresses.CHECKPOINT_LOAD, msg -> guarded(msg, () -> onCheckpointLoad(msg)));
    bus.<JsonObject>consumer(Addresses.CHECKPOINT_BASE, msg -> guarded(msg, () -> onCheckpointBase(msg)));
    bus.<JsonObject>consumer(Addresses.CHECKPOINT_CHECKED, msg -> guarded(msg, () -> onCheckpointChecked(msg)));
    bus.<JsonObject>consumer(Addresses.EMBEDDINGS_PUT, msg -> guarded(msg, () -> onEmbeddingsPut(msg)));
    bus.<JsonObject>consumer(Addresses.EMBEDDINGS_LOAD, msg -> guarded(msg, () -> onEmbeddingsLoad(msg)));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    failQueued(UNAVAILABLE, "the ledger is shutting down");
    Promise<Void> idle = Promise.promise();
    awaitIdle(idle);
    // SHUTDOWN writes HSQLDB's own checkpoint so the next open need not replay its log.
    return idle.future()
        .compose(v -> storage.drained())
        .compose(v -> writerThread.executeBlocking(() -> {
          if (writer != null) {
            writer.close();
          }
          return null;
        }).recover(e -> Future.succeededFuture()))
        .compose(v -> pool.query(SqlQueries.SHUTDOWN).execute().mapEmpty().recover(e -> Future.succeededFuture()))
        .eventually(() -> {
          readers.closeAll();
          storage.close();
          return pool.close();
        })
        .eventually(() -> writerThread.close());
  }

  private void awaitIdle(Promise<Void> idle) {
    if (!writing && readersOpening == 0) {
      idle.complete();
    } else {
      vertx.setTimer(5, t -> awaitIdle(idle));
    }
  }

  // ---------------------------------------------------------------- appends

  private void onAppend(Message<Object> msg) {
    if (stopping) {
      msg.fail(UNAVAILABLE, "the ledger is shutting down");
      return;
    }
    if (appendsStoppedBy != null) {
      msg.fail(UNAVAILABLE, appendsStoppedBy);
      return;
    }
    AppendRequest request;
    try {
      if (!(msg.body() instanceof JsonObject body)) {
        throw new AppendRequest.Invalid("the body must be a JSON object {kind, content, meta}");
      }
      request = AppendRequest.validate(body.getValue("kind"), body.getValue("content"),
          EventJson.plain(body.getValue("meta")), maxEventBytes);
    } catch (IllegalArgumentException e) {
      msg.fail(BAD_REQUEST, e.getMessage());
      return;
    }
    String refused = storage.refusal(estimate(request));
    if (refused != null) {
      msg.fail(storage.code(), "the event was not written: " + refused);
      return;
    }
    queue.add(new Pending(request, msg));
    groupCommit.arrived();
    writeNextBatch();
  }

  private void writeNextBatch() {
    if (writing || queue.isEmpty()) {
      return;
    }
    writing = true;
    int worthWaitingFor = groupCommit.worthWaitingFor(queue.size(), batchMax, System.nanoTime());
    if (worthWaitingFor == 0) {
      writeBatch();
      return;
    }
    commitWaits++;
    long target = groupCommit.arrivals() + worthWaitingFor;
    long deadline = groupCommit.deadline();
    // The wait is on the writer's thread, idle meanwhile, so the event loop goes on taking appends.
    writerThread.<Void>executeBlocking(() -> {
      groupCommit.await(target, deadline);
      return null;
    }).onComplete(waited -> writeBatch());
  }

  private void writeBatch() {
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), batchMax));
    while (!queue.isEmpty() && batch.size() < batchMax) {
      batch.add(queue.poll());
    }
    List<Event> events = new ArrayList<>(batch.size());
    List<String> metaTexts = new ArrayList<>(batch.size());
    long id = lastId;
    String prev = lastHash;
    String ts = Timestamps.isoformat(Instant.now());
    for (Pending p : batch) {
      AppendRequest r = p.request();
      id++;
      String hash = RULE.hash(id, ts, r.kind(), r.content(), r.meta(), prev);
      events.add(new Event(id, ts, r.kind(), r.content(), r.meta(), prev, hash));
      metaTexts.add(r.metaText());
      prev = hash;
    }
    long headBefore = lastId;
    storage.write(() -> writerThread.<Void>executeBlocking(() -> {
          writer.write(events, metaTexts);
          return null;
        })).onComplete(ar -> {
          if (ar.succeeded()) {
            batch.forEach(p -> storage.wrote(estimate(p.request())));
            committed(batch, events);
            writing = false;
            writeNextBatch();
            return;
          }
          Throwable cause = ar.cause();
          boolean notOnDisk = cause instanceof StorageGuard.NotOnDisk;
          int code = notOnDisk ? storage.code() : StorageFaults.code(cause);
          String why = notOnDisk ? cause.getMessage() : StorageFaults.describe(cause);
          LOG.log(Level.SEVERE, "append batch failed, nothing of it was acknowledged: " + why, cause);
          if (!notOnDisk) {
            storageError = why;
          }
          for (Pending p : batch) {
            p.message().fail(code, "the event was not written: " + why);
          }
          // In memory but not in HSQLDB's log: taken back, so that the ledger served until the
          // restart is the one the restart reads. In a transaction: after its first transaction a
          // pooled connection no longer commits by itself (Vert.x's JDBC client 5.0.7).
          Future<?> takeBack = notOnDisk && ((StorageGuard.NotOnDisk) cause).committed
              ? pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.DELETE_AFTER).execute(Tuple.of(headBefore)))
                  .onFailure(e -> LOG.log(Level.SEVERE, "could not take back the events after " + headBefore, e))
              : Future.succeededFuture();
          // The head is read again so that a failure we cannot see into never forks the chain.
          takeBack.transform(v -> loadHead()).onComplete(v -> {
            writing = false;
            writeNextBatch();
          });
        });
  }

  private static long estimate(AppendRequest r) {
    return DiskReserve.estimate(r.kind().length() + r.content().length() + r.metaText().length(), 1);
  }

  private void committed(List<Pending> batch, List<Event> events) {
    Event last = events.get(events.size() - 1);
    lastId = last.id();
    lastHash = last.hash();
    appends += events.size();
    batches++;
    storageError = null;
    EventBus bus = vertx.eventBus();
    for (Event e : events) {
      bus.publish(Addresses.LEDGER_APPENDED, EventJson.toJson(e));
    }
    for (int i = 0; i < batch.size(); i++) {
      Event e = events.get(i);
      batch.get(i).message().reply(new JsonObject().put("id", e.id()).put("hash", e.hash()).put("ts", e.ts()));
    }
    groupCommit.replied(batch.size(), System.nanoTime());
  }

  private void failQueued(int code, String reason) {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.message().fail(code, reason);
    }
  }

  // ---------------------------------------------------------------- reads

  private void onRead(Message<JsonObject> msg) {
    if (stopping) {
      msg.fail(UNAVAILABLE, "the ledger is shutting down");
      return;
    }
    JsonObject body = bodyOf(msg);
    int limit = intParam(body, "limit", 100, 1, readLimitMax);
    String kind = body.getValue("kind") == null ? null : stringParam(body, "kind");
    String sql;
    Object[] keys;
    boolean newestFirst = body.containsKey("before");
    if (newestFirst) {
      long before = longParam(body, "before", Long.MAX_VALUE, 1);
      sql = kind == null ? SqlQueries.READ_BEFORE : SqlQueries.READ_KIND_BEFORE;
      keys = kind == null ? new Object[] {before} : new Object[] {kind, before};
    } else {
      long after = longParam(body, "after", 0, 0);
      long upTo = longParam(body, "up_to", Long.MAX_VALUE, 0);
      if (after == 0 && kind == null) {
        fullScans++;
      }
      sql = kind == null ? SqlQueries.READ_AFTER : SqlQueries.READ_KIND_AFTER;
      keys = kind == null ? new Object[] {after, upTo} : new Object[] {kind, after, upTo};
    }
    readCalls++;
    // Read, parsed and turned into JSON on a worker: a page of thousands of events is milliseconds
    // of work that an event loop must not do.
    onReaderThread(() -> {
      try (RowReader reader = openReader()) {
        List<RowReader.StoredRow> rows = reader.read(sql, keys, limit);
        JsonArray events = new JsonArray(new ArrayList<>(rows.size()));
        for (RowReader.StoredRow row : rows) {
          events.add(EventJson.toJson(row.toEvent()));
        }
        return events;
      }
    }).onSuccess(events -> {
      readRows += events.size();
      Long edge = events.isEmpty() ? null : events.getJsonObject(events.size() - 1).getLong("id");
      JsonObject reply = new JsonObject().put("events", events).put("last_id", lastId);
      if (newestFirst) {
        reply.put("next_before", edge);
      } else {
        reply.put("next_after", edge == null ? body.getLong("after", 0L) : edge);
      }
      msg.reply(reply);
    }).onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while reading: " + e.getMessage()));
  }

  private Future<RowSet<Row>> countedQuery(String sql, Tuple params) {
    readCalls++;
    return pool.preparedQuery(sql).execute(params).onSuccess(rows -> readRows += rows.size());
  }

  /**
   * Runs work that opens a reader connection on a worker thread. Refused once the ledger stops, and
   * stop() waits for those running: a connection opened after SHUTDOWN would open the database again.
   */
  private <T> Future<T> onReaderThread(Callable<T> work) {
    if (stopping) {
      return Future.failedFuture("the ledger is shutting down");
    }
    readersOpening++;
    return vertx.executeBlocking(work, false).onComplete(ar -> readersOpening--);
  }

  /**
   * A plain JDBC connection for reading on a worker thread, opened as the pool opens its own (same
   * URL and user: in-process HSQLDB shares the open database). Autocommit, so each read is its own
   * short transaction, and a long scan never holds back the writer or HSQLDB's checkpoint. Kept
   * open for the next read when closed (RowReader.Kept says why).
   */
  private RowReader openReader() throws SQLException {
    return readers.take();
  }

  // ---------------------------------------------------------------- verify

  private void onVerify(Message<JsonObject> msg) {
    if (stopping) {
      msg.fail(UNAVAILABLE, "the ledger is shutting down");
      return;
    }
    JsonObject body = bodyOf(msg);
    long upTo = longParam(body, "up_to", lastId, 0);
    verifyWhole(upTo, "request")
        .onSuccess(result -> msg.reply(result.report()))
        .onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while verifying: " + e.getMessage()));
  }

  /**
   * Hands the stored rows with {@code after < id <= upTo} to {@code consumer} on a worker thread, a
   * page at a time in id order, while another worker reads the next page: on two cores reading and
   * hashing overlap. The pages are keyset reads on one connection rather than one SELECT, because
   * in-process HSQLDB builds a query's whole result before it returns the first row; this way at
   * most two pages are in memory, however long the ledger. Each page is a counted read. Package-private
   * so that VerifyPagesTest can watch what it holds.
   */
  Future<Void> scan(long after, long upTo, int pageSize, Consumer<List<RowReader.StoredRow>> consumer) {
    return onReaderThread(this::openReader).compose(reader -> {
      Promise<Void> scanned = Promise.promise();
      scanFrom(new PageScan(reader, upTo, pageSize, consumer, scanned), readPage(reader, after, upTo, pageSize));
      return scanned.future().eventually(() -> vertx.executeBlocking(() -> {
        reader.close();
        return null;
      }, false));
    });
  }

  private Future<List<RowReader.StoredRow>> readPage(RowReader reader, long after, long upTo, int limit) {
    readCalls++;
    return vertx.executeBlocking(() -> reader.read(SqlQueries.READ_AFTER, new Object[] {after, upTo}, limit), false)
        .onSuccess(rows -> readRows += rows.size());
  }

  private record PageScan(RowReader reader, long upTo, int pageSize, Consumer<List<RowReader.StoredRow>> consumer,
                          Promise<Void> scanned) {}

  /**
   * One step of a scan. Steps are not chained futures: a chain of a million pages keeps every page
   * it has read reachable from the one still running (a 1,000,000-event verify then needs the whole
   * ledger in the heap); here a page is garbage once consumed.
   */
  private void scanFrom(PageScan scan, Future<List<RowReader.StoredRow>> page) {
    page.onComplete(read -> {
      if (read.failed()) {
        scan.scanned().fail(read.cause());
        return;
      }
      List<RowReader.StoredRow> rows = read.result();
      if (rows.isEmpty()) {
        scan.scanned().complete();
        return;
      }
      long last = rows.get(rows.size() - 1).id();
      Future<List<RowReader.StoredRow>> next = rows.size() < scan.pageSize() || last >= scan.upTo()
          ? Future.succeededFuture(List.of())
          : stopping ? Future.failedFuture("the ledger is shutting down")
          : readPage(scan.reader(), last, scan.upTo(), scan.pageSize());
      // Unordered, so that the consumer runs beside the next read; one step at a time keeps the pages in order.
      vertx.<Void>executeBlocking(() -> {
        scan.consumer().accept(rows);
        return null;
      }, false).onComplete(consumed -> {
        if (consumed.succeeded()) {
          scanFrom(scan, next);
        } else {
          // The read in flight ends before the connection is closed.
          next.onComplete(ignored -> scan.scanned().fail(consumed.cause()));
        }
      });
    });
  }

  // ---------------------------------------------------------------- checkpoints

  private void onCheckpointSave(Message<JsonObject> msg) {
    writeCheckpoint(msg, "saving a checkpoint", (conn, row) -> conn.preparedQuery(SqlQueries.CHECKPOINT_NEWEST)
        .execute(Tuple.of(row.cache(), checkpointKeep))
        .compose(kept -> {
          long oldestKept = row.eventId();
          for (Row k : kept) {
            oldestKept = Math.min(oldestKept, k.getLong(0));
          }
          return conn.preparedQuery(SqlQueries.CHECKPOINT_PRUNE).execute(Tuple.of(row.cache(), oldestKept, row.cache()));
        }));
  }

  /** A state found equal to a replay: kept as a checkpoint (if it is not one already) and marked checked. */
  private void onCheckpointChecked(Message<JsonObject> msg) {
    writeCheckpoint(msg, "recording a checked checkpoint", (conn, row) -> conn.preparedQuery(SqlQueries.CHECKPOINT_CHECK_DELETE_AT)
        .execute(Tuple.of(row.cache(), row.eventId()))
        .compose(v -> conn.preparedQuery(SqlQueries.CHECKPOINT_CHECKED).execute(Tuple.of(row.cache(), row.eventId(), row.created())))
        .compose(v -> conn.preparedQuery(SqlQueries.CHECKPOINT_CHECKS_PRUNE).execute(Tuple.of(row.cache(), row.cache()))));
  }

  private record CheckpointRow(String cache, long eventId, String created) {}

  /** {cache, last_event_id, event_hash, state} written as the checkpoint at that event, then {@code more} in the same transaction. */
  private void writeCheckpoint(Message<JsonObject> msg, String doing,
                               java.util.function.BiFunction<io.vertx.sqlclient.SqlConnection, CheckpointRow, Future<?>> more) {
    JsonObject body = bodyOf(msg);
    String cache = stringParam(body, "cache");
    long eventId = longParam(body, "last_event_id", -1, 1);
    String eventHash = stringParam(body, "event_hash");
    String state = stringParam(body, "state");
    long bytes = DiskReserve.estimate(state.length(), 1);
    String refused = storage.refusal(bytes);
    if (refused != null) {
      msg.fail(storage.code(), "the checkpoint was not saved: " + refused);
      return;
    }
    String checksum = sha256(state);
    CheckpointRow row = new CheckpointRow(cache, eventId, Timestamps.isoformat(Instant.now()));
    storage.transaction(conn -> conn.preparedQuery(SqlQueries.CHECKPOINT_DELETE_AT).execute(Tuple.of(cache, eventId))
            .compose(v -> conn.preparedQuery(SqlQueries.CHECKPOINT_INSERT)
                .execute(Tuple.of(cache, eventId, eventHash, state, checksum, row.created())))
            .compose(v -> more.apply(conn, row)))
        .onSuccess(v -> {
          storage.wrote(bytes);
          checkpointsSaved++;
          msg.reply(new JsonObject().put("cache", cache).put("last_event_id", eventId).put("checksum", checksum));
        })
        .onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while " + doing + ": " + e.getMessage()));
  }

  /**
   * Replies with the newest checkpoint of a cache that is intact (checksum) and belongs to this
   * ledger (its event exists with the same hash); each one passed over is named in warnings.
   */
  private void onCheckpointLoad(Message<JsonObject> msg) {
    String cache = stringParam(bodyOf(msg), "cache");
    countedQuery(SqlQueries.CHECKPOINT_NEWEST, Tuple.of(cache, checkpointKeep))
        .compose(rows -> {
          List<Row> candidates = new ArrayList<>();
          rows.forEach(candidates::add);
          return firstValid(candidates, 0, new JsonArray());
        })
        .onSuccess(msg::reply)
        .onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while loading a checkpoint: " + e.getMessage()));
  }

  /**
   * Where a consistency check of a cache at event {@code before} starts: its newest checked
   * checkpoint before that event, or, with none checked yet, its oldest checkpoint (so the check
   * covers as much as the kept checkpoints allow without a replay from the first event).
   */
  private void onCheckpointBase(Message<JsonObject> msg) {
    JsonObject body = bodyOf(msg);
    String cache = stringParam(body, "cache");
    long before = longParam(body, "before", -1, 1);
    countedQuery(SqlQueries.CHECKPOINT_NEWEST_CHECKED, Tuple.of(cache, before - 1))
        .compose(rows -> {
          List<Row> checked = new ArrayList<>();
          rows.forEach(checked::add);
          return firstValid(checked, 0, new JsonArray()).map(found -> found.put("checked", true));
        })
        .compose(found -> found.getBoolean("found") ? Future.succeededFuture(found)
            : countedQuery(SqlQueries.CHECKPOINT_OLDEST_BEFORE, Tuple.of(cache, before)).compose(rows -> {
              List<Row> oldest = new ArrayList<>();
              rows.forEach(oldest::add);
              return firstValid(oldest, 0, new JsonArray()).map(f -> f.put("checked", false));
            }))
        .onSuccess(msg::reply)
        .onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while looking for a checked checkpoint: " + e.getMessage()));
  }

  private Future<JsonObject> firstValid(List<Row> candidates, int index, JsonArray warnings) {
    if (index >= candidates.size()) {
      return Future.succeededFuture(new JsonObject().put("found", false).put("warnings", warnings));
    }
    Row row = candidates.get(index);
    long eventId = row.getLong(0);
    String eventHash = row.getString(1);
    String state = row.getString(2);
    if (!sha256(state).equals(row.getString(3))) {
      warnings.add("checkpoint at event " + eventId + " is corrupt (checksum mismatch)");
      return firstValid(candidates, index + 1, warnings);
    }
    if (eventId > lastId) {
      warnings.add("checkpoint at event " + eventId + " is newer than the ledger (last event " + lastId + ")");
      return firstValid(candidates, index + 1, warnings);
    }
    return countedQuery(SqlQueries.HASH_OF, Tuple.of(eventId)).compose(rows -> {
      String stored = rows.size() == 0 ? null : rows.iterator().next().getString(0);
      if (!eventHash.equals(stored)) {
        warnings.add("checkpoint at event " + eventId + " does not match the ledger (event hash differs)");
        return firstValid(candidates, index + 1, warnings);
      }
      return Future.succeededFuture(new JsonObject().put("found", true).put("last_event_id", eventId)
          .put("state", state).put("warnings", warnings));
    });
  }

  // ---------------------------------------------------------------- embeddings

  /** The conversation kinds memory recalls, when a load names none. */
  private static final List<String> EMBEDDED_KINDS = List.of("user_message", "assistant_message", "reflection");
  private static final int EMBEDDINGS_PUT_MAX = 1000;
  private static final int EMBEDDINGS_LOAD_MAX = 100_000;
  private static final int EMBEDDINGS_KINDS_MAX = 16;

  /** {@code {model, items: [{event_id, vector: base64 float32 LE}]}} → {@code {saved}}; a vector already stored is kept. */
  private void onEmbeddingsPut(Message<JsonObject> msg) {
    JsonObject body = bodyOf(msg);
    String model = modelParam(body);
    JsonArray items = arrayParam(body, "items", new JsonArray());
    if (items.size() > EMBEDDINGS_PUT_MAX) {
      throw new IllegalArgumentException("at most " + EMBEDDINGS_PUT_MAX + " items per put, got " + items.size());
    }
    List<Tuple> rows = new ArrayList<>(items.size());
    long vectorBytes = 0;
    for (int i = 0; i < items.size(); i++) {
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw new IllegalArgumentException("items[" + i + "] must be an object {event_id, vector}");
      }
      // Only ids the ledger has: a vector can never stand for an event that was not written.
      long eventId = longParam(item, "event_id", -1, 1);
      if (eventId > lastId) {
        throw new IllegalArgumentException("items[" + i + "].event_id " + eventId + " is past the last event " + lastId);
      }
      byte[] vector;
      try {
        vector = Base64.getDecoder().decode(stringParam(item, "vector"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("items[" + i + "].vector is not base64: " + e.getMessage());
      }
      if (vector.length % Float.BYTES != 0 || vector.length > SqlQueries.EMBEDDING_MAX_BYTES) {
        throw new IllegalArgumentException("items[" + i + "].vector must be whole float32 values, at most "
            + SqlQueries.EMBEDDING_MAX_BYTES + " bytes, got " + vector.length);
      }
      // byte[], not a Buffer: the JDBC client turns a Buffer in a batch into a Blob at position 0, which fails.
      rows.add(Tuple.of(eventId, model, vector));
      vectorBytes += vector.length;
    }
    if (rows.isEmpty()) {
      msg.reply(new JsonObject().put("saved", 0));
      return;
    }
    long bytes = DiskReserve.estimate(vectorBytes, rows.size());
    String refused = storage.refusal(bytes);
    if (refused != null) {
      msg.fail(storage.code(), "the vectors were not saved: " + refused);
      return;
    }
    storage.transaction(conn -> conn.preparedQuery(SqlQueries.EMBEDDING_PUT).executeBatch(rows))
        .onSuccess(result -> {
          // The JDBC client answers a batch with one row per statement holding its update count
          // (0 for a vector already stored).
          int saved = 0;
          for (Row row : result) {
            saved += Math.max(0, row.getInteger(0));
          }
          embeddingsSaved += saved;
          storage.wrote(bytes);
          msg.reply(new JsonObject().put("saved", saved));
        })
        .onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while saving embeddings: " + e.getMessage()));
  }

  /**
   * {@code {model, limit, kinds?, max_chars?}} → {@code {events: [{id, kind, content, vector}]}}:
   * the newest {@code limit} events of those kinds, oldest first, each with its stored vector for
   * that model in base64 or null. A counted read, like every read.
   */
  private void onEmbeddingsLoad(Message<JsonObject> msg) {
    JsonObject body = bodyOf(msg);
    String model = modelParam(body);
    int limit = intParam(body, "limit", 100, 1, EMBEDDINGS_LOAD_MAX);
    int maxChars = intParam(body, "max_chars", maxEventBytes, 1, Integer.MAX_VALUE);
    List<String> kinds = new ArrayList<>();
    JsonArray requested = arrayParam(body, "kinds", new JsonArray(EMBEDDED_KINDS));
    if (requested.isEmpty() || requested.size() > EMBEDDINGS_KINDS_MAX) {
      throw new IllegalArgumentException("kinds must name 1 to " + EMBEDDINGS_KINDS_MAX + " kinds");
    }
    for (int i = 0; i < requested.size(); i++) {
      if (!(requested.getValue(i) instanceof String kind) || kind.isEmpty() || kinds.contains(kind)) {
        throw new IllegalArgumentException("kinds must be distinct non-empty strings");
      }
      kinds.add(kind);
    }
    List<Object> params = new ArrayList<>();
    params.add(maxChars);
    for (String kind : kinds) {
      params.add(kind);
      params.add(limit);
    }
    params.add(model);
    params.add(limit);
    countedQuery(SqlQueries.embeddingsLoad(kinds.size()), Tuple.wrap(params))
        .onSuccess(set -> {
          List<JsonObject> newestFirst = new ArrayList<>(set.size());
          for (Row row : set) {
            Object vector = row.getValue(3);
            byte[] bytes = vector instanceof Buffer b ? b.getBytes() : (byte[]) vector;
            newestFirst.add(new JsonObject().put("id", row.getLong(0)).put("kind", row.getString(1))
                .put("content", row.getString(2))
                .put("vector", bytes == null ? null : Base64.getEncoder().encodeToString(bytes)));
          }
          JsonArray events = new JsonArray();
          for (int i = newestFirst.size() - 1; i >= 0; i--) {
            events.add(newestFirst.get(i));
          }
          msg.reply(new JsonObject().put("events", events).put("last_id", lastId));
        })
        .onFailure(e -> msg.fail(STORAGE_ERROR, "storage error while loading embeddings: " + e.getMessage()));
  }

  private static JsonArray arrayParam(JsonObject body, String name, JsonArray fallback) {
    Object value = body.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(name + " must be a list");
    }
    return array;
  }

  private static String modelParam(JsonObject body) {
    String model = stringParam(body, "model");
    if (model.length() > 64) {
      throw new IllegalArgumentException("model must be at most 64 characters");
    }
    return model;
  }

  // ---------------------------------------------------------------- status

  private JsonObject status() {
    boolean broken = integrity != null && !integrity.getBoolean("ok");
    JsonArray reasons = new JsonArray();
    storage.reasons(reasons);
    if (storageError != null) {
      reasons.add("the last append failed: " + storageError);
    }
    if (broken) {
      JsonObject first = integrity.getJsonObject("first_break");
      reasons.add(first == null ? "the chain could not be verified: " + integrity.getString("error")
          : "the chain is broken at event " + first.getLong("id") + " (" + first.getString("reason") + ")"
          + (integrity.getBoolean("acknowledged", false) ? ", acknowledged by an operator" : "; appends are stopped"));
    }
    return new JsonObject()
        .put("status", reasons.isEmpty() ? "UP" : "DEGRADED")
        .put("reasons", reasons)
        .put("error", storageError)
        .put("storage", storage.status())
        .put("integrity", integrity)
        .put("verified_before_serving", verifiedBeforeServing)
        .put("verification", verification.progress())
        .put("last_id", lastId)
        .put("appends", appends)
        .put("batches", batches)
        .put("commit_waits", commitWaits)
        .put("queued", queue.size())
        .put("checkpoints_saved", checkpointsSaved)
        .put("embeddings_saved", embeddingsSaved)
        .put("reads", new JsonObject().put("calls", readCalls).put("rows", readRows).put("full_scans", fullScans));
  }

  // ---------------------------------------------------------------- helpers

  private void guarded(Message<JsonObject> msg, Runnable handler) {
    try {
      handler.run();
    } catch (IllegalArgumentException e) {
      msg.fail(BAD_REQUEST, e.getMessage());
    }
  }

  private static JsonObject bodyOf(Message<?> msg) {
    if (msg.body() == null) {
      return new JsonObject();
    }
    if (msg.body() instanceof JsonObject json) {
      return json;
    }
    throw new IllegalArgumentException("the body must be a JSON object");
  }

  static long longParam(JsonObject body, String name, long fallback, long min) {
    Object value = body.getValue(name);
    if (value == null) {
      if (fallback < min) {
        throw new IllegalArgumentException(name + " is required");
      }
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min) {
      throw new IllegalArgumentException(name + " must be a whole number of at least " + min + ", got " + value);
    }
    return ((Number) value).longValue();
  }

  static int intParam(JsonObject body, String name, int fallback, int min, int max) {
    long value = longParam(body, name, fallback, min);
    if (value > max) {
      throw new IllegalArgumentException(name + " must be at most " + max + ", got " + value);
    }
    return (int) value;
  }

  static String stringParam(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException(name + " must be a non-empty string");
    }
    return s;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
