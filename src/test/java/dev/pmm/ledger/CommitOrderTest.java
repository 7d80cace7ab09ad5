package dev.pmm.ledger;

import dev.pmm.Addresses;
import dev.pmm.support.TestLedger;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "each reply sent only after its commit", proved with a writer that holds a batch's
 * commit until the test lets it go, and fails one on demand. Nothing here waits for time to pass:
 * what must not have happened is looked for only after a message that the ledger sent later than it
 * would have (see {@link #statusFromTestContext}).
 */
@ExtendWith(VertxExtension.class)
class CommitOrderTest {

  private static final int SENDERS = 6;
  /** Far beyond any hold here: a request that timed out would read as a failed append. */
  private static final DeliveryOptions PATIENT = new DeliveryOptions().setSendTimeout(120_000);

  @TempDir
  Path dataDir;

  private volatile GatedWriter writer;
  /** Every send and every handler of the test runs on this one context (see statusFromTestContext). */
  private Context testContext;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();

  @AfterEach
  void letTheWriterGo() {
    // A writer still held would keep the ledger's stop, and so the test's Vert.x, waiting forever.
    if (writer != null) {
      writer.release();
    }
  }

  @Test
  void noAppendIsAnsweredOrPublishedBeforeItsCommit(Vertx vertx) throws Exception {
    // Nothing appended before the hold: an earlier batch still being written would be the one held.
    deploy(vertx);
    writer.hold();
    List<JsonObject> answered = new CopyOnWriteArrayList<>();
    List<Future<JsonObject>> replies = onTestContext(() -> {
      List<Future<JsonObject>> sent = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        sent.add(append("held " + i).onSuccess(answered::add));
      }
      return Future.succeededFuture(sent);
    });
    Batch held = writer.awaitEntered();
    JsonObject status = statusOnceAllArrived(held, SENDERS);

    assertEquals(List.of(), answered, "replies sent while the commit of batch " + held.ids() + " was held");
    assertEquals(List.of(), publishedIds(), "events published while their commit was held");
    assertEquals(0L, status.getLong("last_id"), "the ledger's head moved before the commit");

    writer.release();
    List<JsonObject> stored = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      JsonObject reply = await(replies.get(i));
      JsonObject event = read(reply.getLong("id") - 1, 1).getJsonObject(0);
      assertEquals("held " + i, event.getString("content"), "sender " + i + " was answered with another sender's id");
      assertEquals(event.getString("hash"), reply.getString("hash"), "sender " + i + "'s hash");
      stored.add(event);
    }
    assertEquals(idsAfter(0, SENDERS), stored.stream().map(e -> e.getLong("id")).sorted().toList(), "gapless ids from 1");
    assertEquals(idsAfter(0, SENDERS), publishedIds(), "each committed event published once, in id order");
    assertTrue(TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null).getBoolean("ok"));
  }

  @Test
  void aFailedCommitAnswersEverySenderInItsBatchWithAnErrorAndLeavesNoTrace(Vertx vertx) throws Exception {
    // One append held at the gate, so that the doomed ones all queue behind it and make one batch.
    deploy(vertx);
    writer.hold();
    Future<JsonObject> ahead = onTestContext(() -> Future.succeededFuture(append("ahead")));
    Batch aheadBatch = writer.awaitEntered();
    List<Future<JsonObject>> doomed = onTestContext(() -> {
      List<Future<JsonObject>> sent = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        sent.add(append("doomed " + i));
      }
      return Future.succeededFuture(sent);
    });
    statusOnceAllArrived(aheadBatch, 1 + SENDERS);
    writer.failBatch(aheadBatch.number() + 1);
    writer.release();

    long head = await(ahead).getLong("id");
    assertEquals(1L, head);
    for (int i = 0; i < SENDERS; i++) {
      Throwable failure = await(doomed.get(i).transform(ar -> Future.succeededFuture(ar.cause())));
      assertNotNull(failure, "doomed sender " + i + " was told its event was written");
      ReplyException reply = assertInstanceOf(ReplyException.class, failure);
      assertEquals(StorageFaults.WRITE_FAILED, reply.failureCode(), reply.getMessage());
      assertTrue(reply.getMessage().startsWith("the event was not written: the storage write failed ("), reply.getMessage());
    }
    Batch failed = writer.awaitEntered();
    assertEquals(aheadBatch.number() + 1, failed.number());
    assertEquals(idsAfter(head, SENDERS), failed.ids(), "every doomed sender was in the batch that failed");
    assertNull(writer.entered.poll(), "a batch beyond the failed one reached the writer");

    JsonObject status = statusFromTestContext();
    assertEquals(head, status.getLong("last_id"), "the head after a failed commit");
    JsonObject page = TestLedger.request(vertx, Addresses.LEDGER_READ, new JsonObject().put("after", head).put("limit", 100));
    assertEquals(new JsonArray(), page.getJsonArray("events"), "events of the failed batch are readable");
    assertEquals(idsAfter(0, (int) head), publishedIds(), "only committed events were published");

    List<Long> later = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      later.add(onTestContext(() -> append("after the failure")).getLong("id"));
    }
    assertEquals(idsAfter(head, 3), later, "later appends take the ids the failed batch was given, without a gap");
    JsonObject verify = TestLedger.request(vertx, Addresses.LEDGER_VERIFY, null);
    assertEquals(true, verify.getBoolean("ok"), verify.encode());
    assertEquals(head + 3, verify.getLong("events"));
    for (Object o : read(0, 100)) {
      assertFalse(((JsonObject) o).getString("content").startsWith("doomed"), "stored: " + o);
    }
  }

  // ---------------------------------------------------------------- the ledger and its writer

  private void deploy(Vertx vertx) {
    testContext = vertx.getOrCreateContext();
    await(vertx.deployVerticle(new LedgerVerticle(real -> writer = new GatedWriter(real)),
        new DeploymentOptions().setConfig(TestLedger.config(dataDir))));
    onTestContext(() -> {
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.LEDGER_APPENDED, m -> published.add(m.body()));
      return consumer.completion();
    });
  }

  private Future<JsonObject> append(String content) {
    return testContext.owner().eventBus().<JsonObject>request(Addresses.LEDGER_APPEND,
        new JsonObject().put("kind", "note").put("content", content).put("meta", new JsonObject()), PATIENT).map(m -> m.body());
  }

  /**
   * The ledger's status, requested from and answered on the test's context. The ledger handles
   * messages one at a time, so anything it sent before this status (a reply, a publication) went
   * out first and, delivered to the same context, was handled before this returns: an empty list
   * of replies seen afterwards means none had been sent, however fast or slow the machine.
   */
  private JsonObject statusFromTestContext() {
    return onTestContext(() -> testContext.owner().eventBus().<JsonObject>request(Addresses.LEDGER_STATUS, null)
        .map(m -> m.body()));
  }

  /** Polls until the ledger holds all {@code appends}: those in the held batch and those queued behind it. */
  private JsonObject statusOnceAllArrived(Batch held, int appends) {
    JsonObject[] status = new JsonObject[1];
    TestLedger.eventually(() -> {
      status[0] = statusFromTestContext();
      return held.ids().size() + status[0].getInteger("queued") == appends;
    });
    return status[0];
  }

  private <T> T onTestContext(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    testContext.runOnContext(v -> work.get().onComplete(result));
    return await(result.future());
  }

  private JsonArray read(long after, int limit) {
    return TestLedger.request(testContext.owner(), Addresses.LEDGER_READ, new JsonObject().put("after", after).put("limit", limit))
        .getJsonArray("events");
  }

  private List<Long> publishedIds() {
    return onTestContext(() -> Future.succeededFuture(published.stream().map(e -> e.getLong("id")).toList()));
  }

  private static List<Long> idsAfter(long head, int count) {
    return LongStream.rangeClosed(head + 1, head + count).boxed().toList();
  }

  /** A batch as it reached the writer: its number (1 = the first since start) and its events' ids. */
  private record Batch(int number, List<Long> ids) {}

  /**
   * The ledger's real writer behind a gate the test closes and opens. A batch that reaches a closed
   * gate waits there, before anything of it is written, so its commit cannot have happened; one batch,
   * chosen by number, can be made to fail inside the real writer.
   */
  private static final class GatedWriter implements BatchWriter {
    private final BatchWriter real;
    private final BlockingQueue<Batch> entered = new LinkedBlockingQueue<>();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile int failingBatch = -1;

    GatedWriter(BatchWriter real) {
      this.real = real;
    }

    /** Closes the gate; batches that went through before it are forgotten, so the next one seen is held. */
    void hold() {
      gate = new CountDownLatch(1);
      entered.clear();
    }

    void release() {
      gate.countDown();
    }

    void failBatch(int number) {
      failingBatch = number;
    }

    /** The next batch to reach the writer, held there if the gate is closed. */
    Batch awaitEntered() throws InterruptedException {
      Batch batch = entered.poll(60, TimeUnit.SECONDS);
      assertNotNull(batch, "no batch reached the writer within 60 s");
      return batch;
    }

    @Override
    public void write(List<Event> events, List<String> metaTexts) throws SQLException {
      int number = batches.incrementAndGet();
      entered.add(new Batch(number, events.stream().map(Event::id).toList()));
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted at the gate", e);
      }
      if (number != failingBatch) {
        real.write(events, metaTexts);
        return;
      }
      // The batch plus a copy of its first event: the real INSERTs run, the copy's id clashes, and
      // only the real writer's rollback keeps the rows already inserted out of the ledger.
      List<Event> clashing = new ArrayList<>(events);
      clashing.add(events.get(0));
      List<String> clashingMetas = new ArrayList<>(metaTexts);
      clashingMetas.add(metaTexts.get(0));
      real.write(clashing, clashingMetas);
      throw new IllegalStateException("HSQLDB took a batch with id " + events.get(0).id() + " twice");
    }

    @Override
    public void close() throws SQLException {
      real.close();
    }
  }
}
