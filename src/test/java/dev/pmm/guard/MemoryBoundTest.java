package dev.pmm.guard;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.cli.Workload;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger is never held whole: the heap after garbage collection grows by less than a fixed
 * bound between 50,000 and 200,000 events (the original held all of them, 254 MB RSS at 100,000).
 * HSQLDB's row cache is made small here; it is bounded by configuration (db.cache.rows, db.cache.mb).
 */
class MemoryBoundTest {

  private static final Workload WORKLOAD = new Workload(9);
  private static final long BOUND_MB = 40;

  @TempDir
  Path dataDir;

  @Test
  void heapGrowthFrom50kTo200kEventsStaysBounded() {
    Vertx vertx = Vertx.vertx();
    try {
      // A small row cache, so what remains is what the server itself keeps.
      await(PmmServer.deployCore(vertx, TestLedger.config(dataDir).put(ConfigKeys.DB_CACHE_ROWS, 10_000).put(ConfigKeys.DB_CACHE_MB, 8)));
      fill(vertx, 0, 50_000);
      long at50k = heapAfterGc();
      fill(vertx, 50_000, 200_000);
      assertEquals(200_000L, TestLedger.request(vertx, Addresses.SNAPSHOT_GET, null).getLong("events"));
      long at200k = heapAfterGc();
      long growthMb = (at200k - at50k) / (1024 * 1024);
      System.out.printf("heap after GC: %d MB at 50K events, %d MB at 200K%n", at50k >> 20, at200k >> 20);
      assertTrue(growthMb < BOUND_MB, "heap grew by " + growthMb + " MB from 50K to 200K events");
    } finally {
      await(vertx.close());
    }
  }

  private static void fill(Vertx vertx, int from, int to) {
    for (int start = from; start < to; start += 5_000) {
      int first = start;
      await(TestLedger.appendMany(vertx, 5_000, i -> WORKLOAD.event(first + i)));
    }
  }

  private static long heapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
    }
    return least;
  }
}
