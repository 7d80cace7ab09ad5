package dev.pmm.ledger;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a storage failure means for the operator, told from the exception HSQLDB or the JDK threw,
 * and a watch on HSQLDB's own log for the write failures it does not throw.
 */
public final class StorageFaults {
  private StorageFaults() {}

  /** Event-bus failure code for "the disk is full", as HTTP says it (Insufficient Storage). */
  public static final int DISK_FULL = 507;
  public static final int WRITE_FAILED = 500;

  public enum Kind { DISK_FULL, FILE_TOO_LARGE, READ_ONLY, OTHER }

  public static Kind classify(Throwable error) {
    String text = allMessages(error).toLowerCase(Locale.ROOT);
    if (text.contains("no space left on device") || text.contains("disk quota exceeded")
        // HSQLDB's words (error -468) when it cannot enlarge its data file.
        || text.contains("data file size limit is reached")
        // SIGBUS on HSQLDB's memory-mapped data file: a page the full disk could not give.
        || text.contains("fault occurred in a recent unsafe memory access")) {
      return Kind.DISK_FULL;
    }
    if (text.contains("file too large")) {
      return Kind.FILE_TOO_LARGE;
    }
    if (text.contains("read-only file system") || text.contains("permission denied") || text.contains("read only")
        || text.contains("read-only sql-transaction") || has(error, AccessDeniedException.class)) {
      return Kind.READ_ONLY;
    }
    return Kind.OTHER;
  }

  /** The event-bus failure code for a failed write. */
  public static int code(Throwable error) {
    Kind kind = classify(error);
    return kind == Kind.DISK_FULL || kind == Kind.FILE_TOO_LARGE ? DISK_FULL : WRITE_FAILED;
  }

  /** What went wrong, in the operator's words, with the underlying message kept for the details. */
  public static String describe(Throwable error) {
    String detail = rootMessage(error);
    return switch (classify(error)) {
      case DISK_FULL -> "the disk is full (" + detail + ")";
      case FILE_TOO_LARGE -> "a file size limit was reached, the disk is full for this process (" + detail + ")";
      case READ_ONLY -> "the storage is not writable (" + detail + ")";
      case OTHER -> "the storage write failed (" + detail + ")";
    };
  }

  /**
   * The URL with HSQLDB's warnings sent to java.util.logging: HSQLDB 2.7 reports a failed write
   * of its log at commit only as a warning ("ScriptWriter synch error") and lets the commit
   * succeed, so that warning is the only sign that a commit is not on disk.
   */
  public static String withWarnings(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:hsqldb:") || jdbcUrl.contains("hsqldb.extlog")) {
      return jdbcUrl;
    }
    return jdbcUrl + ";hsqldb.extlog=2";
  }

  /**
   * Counts HSQLDB's warnings about one database that carry an I/O error: each means a write that
   * HSQLDB reported to nobody else. Published on the thread that wrote, so a count read after a
   * commit returns includes that commit's failure.
   */
  public static final class Watch extends Handler {
    // Held so that java.util.logging, which keeps loggers weakly, does not drop this handler.
    private final Logger logger;
    private final String database;
    private final AtomicLong faults = new AtomicLong();
    private volatile Throwable last;

    private Watch(String database) {
      this.database = database;
      this.logger = Logger.getLogger("hsqldb.db");
    }

    /** Watches the database HSQLDB names {@code databaseName} (SQL: CALL DATABASE_NAME()). */
    public static Watch attach(String databaseName) {
      Watch watch = new Watch(databaseName);
      watch.logger.addHandler(watch);
      return watch;
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() < Level.WARNING.intValue() || record.getLoggerName() == null
          || !record.getLoggerName().contains(database) || !has(record.getThrown(), IOException.class)) {
        return;
      }
      last = record.getThrown();
      faults.incrementAndGet();
    }

    public long count() {
      return faults.get();
    }

    /** The I/O error of the last fault, or null. */
    public Throwable last() {
      return last;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  static String rootMessage(Throwable error) {
    String message = null;
    for (Throwable t : chain(error)) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage().trim();
      }
    }
    return message != null ? message : String.valueOf(error);
  }

  private static String allMessages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t : chain(error)) {
      all.append(t.getMessage()).append(' ').append(t.getClass().getSimpleName()).append(' ');
    }
    return all.toString();
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    return chain(error).stream().anyMatch(type::isInstance);
  }

  /** The error and its causes (for a JDBC batch, also the exceptions chained to it); at most 20, so a cycle ends. */
  private static List<Throwable> chain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && chain.size() < 20 && !chain.contains(t); ) {
      chain.add(t);
      t = t.getCause() != null ? t.getCause() : t instanceof SQLException sql ? sql.getNextException() : null;
    }
    return chain;
  }
}
