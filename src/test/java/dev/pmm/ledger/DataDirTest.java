package dev.pmm.ledger;

import dev.pmm.PmmServer;
import dev.pmm.support.CliRun;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A data dir that cannot hold the ledger stops the start with a message that names it and the problem. */
class DataDirTest {

  @TempDir
  Path tmp;

  @Test
  void aDataDirThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("data"), "not a directory");
    String error = startFailure(file);
    assertTrue(error.contains("the data dir " + file + " is not a directory"), error);
    assertEquals("not a directory", Files.readString(file));
  }

  @Test
  void aDataDirThatCannotBeCreatedIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("parent"), "x");
    Path dir = file.resolve("data");
    String error = startFailure(dir);
    assertTrue(error.contains("cannot create the data dir " + dir + ": " + file + " is a file, not a directory"), error);
  }

  @Test
  void aLedgerHsqldbWouldOpenReadOnlyIsRefused() throws Exception {
    for (String property : new String[] {"readonly", "files_readonly"}) {
      Path dir = tmp.resolve(property);
      Vertx vertx = Vertx.vertx();
      try {
        await(PmmServer.deployCore(vertx, TestLedger.config(dir)));
        TestLedger.append(vertx, "note", "written before", new JsonObject());
      } finally {
        await(vertx.close());
      }
      // Either property makes HSQLDB open without complaint and fail each write later, one by one.
      Files.writeString(dir.resolve("pmm.properties"), property + "=true\n", StandardOpenOption.APPEND);
      String error = startFailure(dir);
      assertTrue(error.contains("is open read-only (HSQLDB's " + property + "=true"), error);

      String properties = Files.readString(dir.resolve("pmm.properties")).replace(property + "=true\n", "");
      Files.writeString(dir.resolve("pmm.properties"), properties);
      assertEquals(1, CliRun.events(dir).size(), "the ledger is untouched");
    }
  }

  static String startFailure(Path dataDir) {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable failure = await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions()
              .setConfig(TestLedger.config(dataDir)))
          .transform(ar -> Future.succeededFuture(ar.cause())));
      assertTrue(failure != null, "the ledger started on " + dataDir);
      return failure.getMessage();
    } finally {
      await(vertx.close());
    }
  }
}
