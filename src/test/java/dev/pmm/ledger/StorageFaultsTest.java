package dev.pmm.ledger;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storage failures told apart from the messages the JDK and HSQLDB 2.7.4 really give (seen on a full tmpfs). */
class StorageFaultsTest {

  @Test
  void aFullDiskIsToldFromTheJdkAndFromHsqldb() {
    IOException enospc = new IOException("No space left on device");
    assertEquals(StorageFaults.Kind.DISK_FULL, StorageFaults.classify(enospc));
    // HSQLDB (error -468) when it cannot enlarge its data file, wrapped as the JDBC client hands it over.
    SQLException hsqldb = new BatchUpdateException("Data File size limit is reached", "S1000", -468, new int[0]);
    assertEquals(StorageFaults.Kind.DISK_FULL, StorageFaults.classify(new RuntimeException("batch failed", hsqldb)));
    assertEquals(507, StorageFaults.code(hsqldb));
    assertEquals("the disk is full (Data File size limit is reached)", StorageFaults.describe(hsqldb));
    // Seen from pmm import on a full tmpfs: HSQLDB maps its data file into memory.
    Error sigbus = new InternalError("a fault occurred in a recent unsafe memory access operation in compiled Java code");
    assertEquals(StorageFaults.Kind.DISK_FULL, StorageFaults.classify(new SQLException("General error", sigbus)));
    SQLException opening = new SQLException("file input/output error  java.io.IOException: No space left on device.properties /d/pmm");
    assertTrue(StorageFaults.describe(opening).startsWith("the disk is full"), StorageFaults.describe(opening));
  }

  @Test
  void aFileSizeLimitAndAReadOnlyDiskAreNamed() {
    IOException efbig = new IOException("File too large");
    assertEquals(StorageFaults.Kind.FILE_TOO_LARGE, StorageFaults.classify(efbig));
    assertEquals(507, StorageFaults.code(efbig));
    SQLException lock = new SQLException("Database lock acquisition failure: lockFile: ... reason: "
        + "java.io.FileNotFoundException: /d/pmm.lck (Read-only file system)");
    assertEquals(StorageFaults.Kind.READ_ONLY, StorageFaults.classify(lock));
    assertEquals(500, StorageFaults.code(lock));
    assertEquals(StorageFaults.Kind.READ_ONLY, StorageFaults.classify(new AccessDeniedException("/d/x")));
    assertEquals(StorageFaults.Kind.READ_ONLY, StorageFaults.classify(new SQLException("The table data is read only")));
    SQLException other = new SQLException("integrity constraint violation: unique constraint");
    assertEquals(StorageFaults.Kind.OTHER, StorageFaults.classify(other));
    assertEquals("the storage write failed (integrity constraint violation: unique constraint)", StorageFaults.describe(other));
  }

  @Test
  void theUrlAsksHsqldbForItsWarnings() {
    assertEquals("jdbc:hsqldb:file:/d/pmm;hsqldb.tx=mvcc;hsqldb.extlog=2",
        StorageFaults.withWarnings("jdbc:hsqldb:file:/d/pmm;hsqldb.tx=mvcc"));
    assertEquals("jdbc:hsqldb:file:/d/pmm;hsqldb.extlog=1", StorageFaults.withWarnings("jdbc:hsqldb:file:/d/pmm;hsqldb.extlog=1"));
    assertEquals("jdbc:postgresql://h/db", StorageFaults.withWarnings("jdbc:postgresql://h/db"));
  }

  @Test
  void theWatchCountsOnlyItsDatabasesWriteFailures() {
    StorageFaults.Watch watch = StorageFaults.Watch.attach("HSQLDBTESTWATCH1");
    try {
      Logger engine = Logger.getLogger("hsqldb.db.HSQLDBTESTWATCH1.ENGINE");
      Logger other = Logger.getLogger("hsqldb.db.HSQLDBTESTWATCH2.ENGINE");
      engine.setUseParentHandlers(true);
      // What HSQLDB 2.7.4 logs when the sync of its log at commit fails, and then lets the commit succeed.
      log(engine, Level.WARNING, "ScriptWriter synch error: ", new IOException("No space left on device"));
      log(engine, Level.WARNING, "some warning without an I/O error", null);
      log(engine, Level.INFO, "Checkpoint start", new IOException("not a fault at INFO"));
      log(other, Level.WARNING, "ScriptWriter synch error: ", new IOException("another database"));
      assertEquals(1, watch.count());
      assertEquals("No space left on device", watch.last().getMessage());
    } finally {
      watch.close();
    }
  }

  @Test
  void theDataDirOfAFileUrl() {
    assertEquals(Path.of("/var/pmm/data"), DataDir.of("jdbc:hsqldb:file:/var/pmm/data/pmm;hsqldb.tx=mvcc"));
    assertEquals(Path.of("/x"), DataDir.of("jdbc:hsqldb:file:/x/pmm"));
    assertNull(DataDir.of("jdbc:hsqldb:mem:test"));
  }

  @Test
  void theReserveRefusesWritesThatWouldEatIntoIt() {
    long mb = 1024 * 1024;
    DiskReserve reserve = new DiskReserve(Path.of("/d"), 8 * mb);
    assertNull(reserve.refusal(mb), "no reading yet: nothing is refused on a guess");
    reserve.reading(10 * mb, reserve.written());
    assertNull(reserve.refusal(mb));
    reserve.wrote(mb);
    reserve.wrote(mb / 2);
    assertEquals(8 * mb + mb / 2, reserve.free());
    String refusal = reserve.refusal(mb);
    assertTrue(refusal != null && refusal.contains("data dir \"d\" is full: 8.5 MB free, under the 8.0 MB") && refusal.contains("ledger.disk.reserve.mb"), refusal);
    // A reading taken before the last write counts only the writes after it.
    long before = reserve.written();
    reserve.wrote(mb);
    reserve.reading(20 * mb, before);
    assertEquals(19 * mb, reserve.free());
    assertNull(reserve.refusal(mb));
    DiskReserve off = new DiskReserve(Path.of("/d"), 0);
    off.reading(0, 0);
    assertNull(off.refusal(mb), "0 turns the check off");
  }

  @Test
  void fileSystemReasonsAreKeptWithTheirPath() {
    assertEquals("Read-only file system (/d/.pmm-write-probe)",
        DataDir.reason(new FileSystemException("/d/.pmm-write-probe", null, "Read-only file system")));
    assertEquals("Permission denied (/d)", DataDir.reason(new AccessDeniedException("/d")));
  }

  private static void log(Logger logger, Level level, String message, Throwable thrown) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    record.setThrown(thrown);
    logger.log(record);
  }
}
