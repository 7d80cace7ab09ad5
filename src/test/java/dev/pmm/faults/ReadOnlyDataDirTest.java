package dev.pmm.faults;

import dev.pmm.PmmServer;
import dev.pmm.support.CliRun;
import dev.pmm.support.Mounts;
import dev.pmm.support.TestLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data dir the server cannot write is refused at start with its name and the reason. As root it
 * is a real read-only bind mount (root ignores permissions); as anyone else, the permissions.
 */
class ReadOnlyDataDirTest {

  @TempDir
  Path tmp;

  @Test
  void anEmptyReadOnlyDataDirIsRefusedAtStart() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    String error;
    try (AutoCloseable readOnly = Mounts.readOnly(dir)) {
      error = startFailure(dir);
    }
    assertNotWritable(error, dir);
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "nothing was created");
    }
  }

  @Test
  void aLedgerOnAReadOnlyDiskIsRefusedNotBlamedOnTheLockFile() throws Exception {
    Path dir = tmp.resolve("data");
    Vertx vertx = Vertx.vertx();
    try {
      await(PmmServer.deployCore(vertx, TestLedger.config(dir)));
      for (int i = 0; i < 3; i++) {
        TestLedger.append(vertx, "note", "before " + i, new JsonObject());
      }
    } finally {
      await(vertx.close());
    }
    String error;
    try (AutoCloseable readOnly = Mounts.readOnly(dir)) {
      error = startFailure(dir);
    }
    assertNotWritable(error, dir);
    // HSQLDB alone says "lock acquisition failure", which read as another server holding the ledger.
    assertFalse(error.contains("in use"), error);
    assertEquals(3, CliRun.events(dir).size(), "the ledger is as it was");
  }

  @Test
  void pmmServeExitsWithTheReason() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    ChildServer.Reply run;
    try (AutoCloseable readOnly = Mounts.readOnly(dir)) {
      run = ChildServer.serveUntilExit(dir, tmp.resolve("serve.log"));
    }
    String output = run.body().getString("output");
    assertEquals(1, run.status(), output);
    assertTrue(output.contains("pmm serve: the data dir " + dir + " is not writable"), output);
  }

  private static void assertNotWritable(String error, Path dir) {
    assertTrue(error.contains("the data dir " + dir + " is not writable: "), error);
    assertTrue(error.contains(Mounts.isRoot() ? "Read-only file system" : "Permission denied"), error);
  }

  private static String startFailure(Path dataDir) {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable failure = await(PmmServer.deployCore(vertx, TestLedger.config(dataDir))
          .transform(ar -> Future.succeededFuture(ar.cause())));
      assertTrue(failure != null, "the server started on a read-only " + dataDir);
      return failure.getMessage();
    } finally {
      await(vertx.close());
    }
  }
}
