package dev.pmm.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client that does not read is sent, and when it is let go, against a connection the test fills and drains. */
@ExtendWith(VertxExtension.class)
class OutboxTest {

  /** A connection whose fullness the test sets, recording what was written. */
  private static final class Pipe implements Outbox.Channel {
    final List<String> written = new ArrayList<>();
    boolean full;
    Handler<Void> drain;
    String closedWith;

    @Override
    public boolean full() {
      return full;
    }

    @Override
    public void onDrain(Handler<Void> drained) {
      drain = drained;
    }

    @Override
    public Future<Void> write(String text) {
      written.add(text);
      return Future.succeededFuture();
    }

    @Override
    public void close(short code, String reason) {
      closedWith = code + " " + reason;
    }

    @Override
    public boolean closed() {
      return closedWith != null;
    }

    void drained() {
      full = false;
      Handler<Void> h = drain;
      drain = null;
      h.handle(null);
    }
  }

  private Vertx vertx;
  private final Pipe pipe = new Pipe();

  @BeforeEach
  void keep(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Outbox timers are set on a context, as on a connection's event loop. */
  private <T> T onContext(java.util.function.Supplier<T> action) {
    return await(Future.<T>future(p -> vertx.runOnContext(v -> p.complete(action.get()))));
  }

  @Test
  void aClientThatReadsGetsEverythingAtOnce() {
    Outbox outbox = onContext(() -> new Outbox(vertx, pipe));
    onContext(() -> {
      outbox.send("a");
      outbox.sendSnapshot("s1");
      outbox.send("b");
      return null;
    });
    assertEquals(List.of("a", "s1", "b"), pipe.written);
  }

  @Test
  void whileFullOnlyTheNewestSnapshotIsKeptAndFramesWaitInOrder() {
    Outbox outbox = onContext(() -> new Outbox(vertx, pipe));
    pipe.full = true;
    onContext(() -> {
      for (int i = 1; i <= 1000; i++) {
        outbox.sendSnapshot("snapshot " + i);
      }
      outbox.send("token 1");
      outbox.send("token 2");
      return null;
    });
    assertEquals(List.of(), pipe.written);
    assertEquals(3, outbox.heldFrames(), "two frames and one snapshot, not a thousand");
    pipe.full = false;
    onContext(() -> {
      outbox.send("token 3");
      return null;
    });
    assertEquals(List.of(), pipe.written, "a frame never overtakes those waiting");
    onContext(() -> {
      pipe.drained();
      return null;
    });
    assertEquals(List.of("token 1", "token 2", "token 3", "snapshot 1000"), pipe.written);
    assertEquals(0, outbox.heldFrames());
  }

  @Test
  void aClientThatLetsTooMuchWaitIsClosedWithTheReason() {
    Outbox outbox = onContext(() -> new Outbox(vertx, pipe));
    pipe.full = true;
    String token = "x".repeat(1024);
    Future<Void> last = onContext(() -> {
      Future<Void> f = null;
      for (int i = 0; i <= Outbox.HELD_CHARS_MAX / token.length(); i++) {
        f = outbox.send(token);
      }
      return f;
    });
    assertTrue(pipe.closedWith != null && pipe.closedWith.startsWith("1008 too slow"), pipe.closedWith);
    assertTrue(pipe.closedWith.length() <= 5 + 123, "a close reason fits its 123 bytes");
    assertTrue(last.failed(), "what was never written says so");
    assertEquals(0, outbox.heldFrames(), "nothing is kept for a closed client");
    onContext(() -> outbox.send("after"));
    assertEquals(List.of(), pipe.written);
  }

  @Test
  void aConnectionThatStaysFullIsClosedAfterTheLimit() {
    Outbox outbox = onContext(() -> new Outbox(vertx, pipe, 200));
    pipe.full = true;
    onContext(() -> outbox.send("waits"));
    dev.pmm.support.TestLedger.eventually(() -> pipe.closedWith != null);
    assertTrue(pipe.closedWith.contains("took nothing for 200 ms"), pipe.closedWith);
  }

  @Test
  void aConnectionThatDrainsNowAndThenIsKept() throws InterruptedException {
    Outbox outbox = onContext(() -> new Outbox(vertx, pipe, 300));
    for (int i = 0; i < 6; i++) {
      pipe.full = true;
      int n = i;
      onContext(() -> outbox.send("frame " + n));
      Thread.sleep(150);
      onContext(() -> {
        pipe.drained();
        return null;
      });
    }
    assertFalse(pipe.closed(), "900 ms with some progress every 150 ms: " + pipe.closedWith);
    assertEquals(6, pipe.written.size());
  }
}
