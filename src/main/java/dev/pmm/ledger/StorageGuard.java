package dev.pmm.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What stands between the ledger and a disk that cannot take its writes: the data dir checked
 * before HSQLDB opens it, a reserve of free space, and the log writes HSQLDB fails without
 * saying so turned into refused writes. Confined to the ledger verticle's event loop.
 *
 * <p>HSQLDB 2.7.4 reports a failed write of its log at commit only as a warning and lets the
 * commit succeed. It syncs the log for a commit on the committing thread, unless another commit
 * is syncing it at that moment, which then does it for both. So every write transaction here runs
 * after the one before it: the warning, if any, is then logged on the committing thread before
 * the commit returns, and the commit is known to have reached the disk or not.
 */
final class StorageGuard {

  /** A write that HSQLDB could not put on disk; {@code committed}: it is in memory all the same. */
  static final class NotOnDisk extends IllegalStateException {
    final boolean committed;

    NotOnDisk(String message, boolean committed) {
      super(message);
      this.committed = committed;
    }
  }

  private static final Logger LOG = Logger.getLogger(StorageGuard.class.getName());
  private static final long FREE_SPACE_CHECK_MS = 250;

  private final Vertx vertx;
  private final String url;
  /** Where the HSQLDB files are, or null when the URL names another kind of database. */
  private final Path dataDir;
  private final long reserveMb;
  private final DiskReserve reserve;
  private Pool pool;
  private StorageFaults.Watch watch;
  private long faultsSeen;
  private String stoppedBy;
  private int stoppedCode;
  private Future<?> lastWrite = Future.succeededFuture();
  private long timer = -1;
  private boolean reading;

  StorageGuard(Vertx vertx, String url, long reserveMb) {
    this.vertx = vertx;
    this.url = url;
    this.dataDir = DataDir.of(url);
    this.reserveMb = reserveMb;
    this.reserve = new DiskReserve(dataDir, reserveMb * 1024 * 1024);
  }

  /** The URL to open: HSQLDB's warnings must reach java.util.logging for the watch to see them. */
  String jdbcUrl() {
    return StorageFaults.withWarnings(url);
  }

  /** Before HSQLDB opens anything: the data dir exists and takes a write (HSQLDB would blame its lock file). */
  Future<Void> checkDataDir() {
    if (dataDir == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      DataDir.prepare(dataDir);
      return DataDir.usableBytes(dataDir);
    }, false).map(usable -> {
      reserve.reading(usable, 0);
      return null;
    });
  }

  /**
   * Once HSQLDB has opened the database: refuses one it opened read-only (a property in the URL
   * or its .properties file), where every write would fail later one by one; then starts watching.
   */
  Future<Void> open(Pool pool) {
    this.pool = pool;
    return pool.query(SqlQueries.READ_ONLY_PROPERTIES).execute().compose(rows -> {
      for (Row row : rows) {
        if ("true".equalsIgnoreCase(row.getString(1))) {
          return Future.failedFuture(new DataDir.Unusable("the ledger " + url + " is open read-only (HSQLDB's "
              + row.getString(0) + "=true, set in the URL or in the database's .properties file); remove that setting "
              + "so that the ledger can write", null));
        }
      }
      return pool.query(SqlQueries.DATABASE_NAME).execute();
    }).map(rows -> {
      watch = StorageFaults.Watch.attach(rows.iterator().next().getString(0));
      if (dataDir != null) {
        timer = vertx.setPeriodic(FREE_SPACE_CHECK_MS, id -> readFreeSpace());
      }
      return null;
    });
  }

  /**
   * Runs a write after the one before it. Fails with {@link NotOnDisk} when HSQLDB reported a
   * failed write while it ran, and refuses to run at all once writes are stopped.
   */
  <T> Future<T> write(Supplier<Future<T>> work) {
    Future<T> result = lastWrite.transform(ignored -> {
      noticeFaults();
      if (stoppedBy != null) {
        return Future.failedFuture(new NotOnDisk(stoppedBy, false));
      }
      long faultsBefore = watch.count();
      return work.get().transform(ar -> {
        if (watch.count() != faultsBefore) {
          noticeFaults();
          return Future.failedFuture(new NotOnDisk(stoppedBy, ar.succeeded()));
        }
        return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
      });
    });
    lastWrite = result;
    return result;
  }

  /** A transaction on the pool, as {@link #write} runs it. */
  <T> Future<T> transaction(Function<SqlConnection, Future<T>> transaction) {
    return write(() -> pool.withTransaction(transaction));
  }

  /** Completes when the writes started so far have ended. */
  Future<Void> drained() {
    return lastWrite.transform(ignored -> Future.succeededFuture());
  }

  /** Records that about {@code bytes} were written, for the free-space estimate. */
  void wrote(long bytes) {
    reserve.wrote(bytes);
  }

  /** Why a write of about {@code bytes} is refused now, or null. */
  String refusal(long bytes) {
    noticeFaults();
    return stoppedBy != null ? stoppedBy : reserve.refusal(bytes);
  }

  /** The event-bus failure code for a refusal or a write that did not reach the disk. */
  int code() {
    return stoppedBy != null ? stoppedCode : StorageFaults.DISK_FULL;
  }

  /** Adds what is wrong with the storage, for /health. */
  void reasons(JsonArray reasons) {
    String low = refusal(0);
    if (low != null) {
      reasons.add(low);
    }
  }

  JsonObject status() {
    long free = reserve.free();
    // /health is seen by clients: the directory's name, not where it lives on the server.
    return new JsonObject().put("data_dir", dataDir == null ? null : dataDir.getFileName().toString())
        .put("free_mb", free < 0 ? null : free / (1024 * 1024))
        .put("reserve_mb", reserveMb)
        .put("writes_stopped", stoppedBy != null);
  }

  void close() {
    vertx.cancelTimer(timer);
    if (watch != null) {
      watch.close();
    }
  }

  /**
   * From HSQLDB's first unreported write failure on, nothing more is written: its log may end in a
   * torn record, and only a restart reads it back safely (HSQLDB skips the torn record).
   */
  private void noticeFaults() {
    if (watch == null || watch.count() == faultsSeen) {
      return;
    }
    faultsSeen = watch.count();
    if (stoppedBy == null) {
      Throwable fault = watch.last();
      stoppedCode = StorageFaults.code(fault);
      String advice = "; writes are stopped until the server is restarted: free space on the disk holding ";
      String after = ", then restart it (every acknowledged event is kept)";
      String what = "HSQLDB could not write its log: " + StorageFaults.describe(fault);
      stoppedBy = what + advice + (dataDir == null ? "the ledger" : "the data dir \"" + dataDir.getFileName() + "\"") + after;
      LOG.severe(what + advice + (dataDir == null ? "the ledger" : dataDir) + after);
    }
  }

  private void readFreeSpace() {
    if (reading) {
      return;
    }
    reading = true;
    long written = reserve.written();
    vertx.executeBlocking(() -> DataDir.usableBytes(dataDir), false)
        .onSuccess(usable -> reserve.reading(usable, written))
        .onComplete(ar -> reading = false);
  }
}
