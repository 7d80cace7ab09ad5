package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.cli.Workload;
import dev.pmm.config.ConfigKeys;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a batch waits for the last batch's senders, and that the wait ends when they are back. */
class GroupCommitTest {

  private static final Workload WORKLOAD = new Workload(11);
  private static final long MICROS = 1000;

  @TempDir
  Path dataDir;

  @Test
  void waitsOnlyForTheLastBatchsSendersNotYetBackWithinTheDelay() {
    GroupCommit group = new GroupCommit(300);
    long replied = 1_000_000;
    assertEquals(0, group.worthWaitingFor(8, 512, replied), "nobody has had a reply yet");

    group.replied(8, replied);
    assertEquals(8, group.worthWaitingFor(8, 512, replied + 10 * MICROS));
    assertEquals(4, group.worthWaitingFor(508, 512, replied + 10 * MICROS), "no more than fit in the batch");
    assertEquals(0, group.worthWaitingFor(8, 512, replied + 300 * MICROS), "the delay has passed");
    assertEquals(replied + 300 * MICROS, group.deadline());

    for (int back = 1; back <= 8; back++) {
      group.arrived();
      assertEquals(8 - back, group.worthWaitingFor(8, 512, replied + 10 * MICROS));
    }
    assertEquals(8, group.arrivals());
  }

  @Test
  void aLoneSenderNeverWaits() {
    GroupCommit group = new GroupCommit(300);
    for (int i = 0; i < 100; i++) {
      group.arrived();
      assertEquals(0, group.worthWaitingFor(1, 512, i * 1000L + 5), "append " + i);
      group.replied(1, i * 1000L);
    }
  }

  @Test
  void noDelayMeansNoWait() {
    GroupCommit group = new GroupCommit(0);
    group.replied(16, 0);
    assertEquals(0, group.worthWaitingFor(0, 512, 1));
  }

  @Test
  void theWaitEndsWhenTheAwaitedAppendsArriveAndAtTheDeadlineOtherwise() throws Exception {
    GroupCommit group = new GroupCommit(300);
    long target = group.arrivals() + 2;
    Thread writer = new Thread(() -> group.await(target, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
    writer.start();
    group.arrived();
    group.arrived();
    writer.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(writer.isAlive(), "still waiting after the 2 appends it waited for arrived");

    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    group.await(group.arrivals() + 1, deadline);
    assertTrue(System.nanoTime() >= deadline, "returned before the deadline with nothing arrived");
  }

  /**
   * Senders that wait for their reply before appending again. With a delay long enough for any
   * machine, 16 of them share one commit (batches of 8 without it); one alone never waits.
   */
  @Test
  void sendersThatComeBackShareACommitAndALoneOneNeverWaits() {
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.LEDGER_COMMIT_DELAY_US, 20_000);
    Vertx vertx = Vertx.vertx();
    try {
      await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(config)));
      await(appendInTurns(vertx, 1, 200));
      JsonObject alone = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
      assertEquals(200L, alone.getLong("batches"), "a lone sender's appends, one commit each");
      assertEquals(0L, alone.getLong("commit_waits"), "a lone sender waited for nobody");

      await(appendInTurns(vertx, 16, 50));
      JsonObject status = TestLedger.request(vertx, Addresses.LEDGER_STATUS, null);
      assertEquals(1000L, status.getLong("appends"));
      long commits = status.getLong("batches") - alone.getLong("batches");
      assertTrue(commits <= 60, "16 senders, 800 appends in " + commits + " commits");
      assertTrue(TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null).getBoolean("ok"));
    } finally {
      await(vertx.close());
    }
  }

  private static Future<?> appendInTurns(Vertx vertx, int senders, int each) {
    AtomicInteger position = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      done.add(appendInTurn(vertx, position, each));
    }
    return Future.all(done);
  }

  private static Future<?> appendInTurn(Vertx vertx, AtomicInteger position, int left) {
    if (left == 0) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(Addresses.LEDGER_APPEND, WORKLOAD.event(position.getAndIncrement()))
        .compose(reply -> appendInTurn(vertx, position, left - 1));
  }
}
