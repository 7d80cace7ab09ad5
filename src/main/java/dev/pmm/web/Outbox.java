package dev.pmm.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import io.vertx.core.streams.WriteStream;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What one client is sent, within a bound whatever it reads. Frames go straight out while its
 * connection takes them; while it is full, the newest snapshot replaces any older one and other
 * frames wait, in order, up to {@link #HELD_CHARS_MAX}. A client that lets more wait, or whose
 * connection stays full for {@link #FULL_MS_MAX} without draining, is closed with the reason.
 */
final class Outbox {

  /** A connection seen as what it takes: /ws text frames or SockJS messages. */
  interface Channel {
    boolean full();

    /** Called once when the connection has room again. */
    void onDrain(Handler<Void> drained);

    Future<Void> write(String text);

    void close(short code, String reason);

    boolean closed();

    /** A connection's write queue and drain events, and how it writes a text and closes. */
    static Channel of(WriteStream<?> stream, Function<String, Future<Void>> write, BiConsumer<Short, String> close,
                      BooleanSupplier closed) {
      return new Channel() {
        @Override
        public boolean full() {
          return stream.writeQueueFull();
        }

        @Override
        public void onDrain(Handler<Void> drained) {
          stream.drainHandler(drained);
        }

        @Override
        public Future<Void> write(String text) {
          return write.apply(text);
        }

        @Override
        public void close(short code, String reason) {
          close.accept(code, reason);
        }

        @Override
        public boolean closed() {
          return closed.getAsBoolean();
        }
      };
    }
  }

  static final int HELD_CHARS_MAX = 256 * 1024;
  static final long FULL_MS_MAX = 30_000;
  /** WebSocket close code: the client broke the terms (it does not read what it asked for). */
  static final short POLICY_VIOLATION = 1008;

  private final Vertx vertx;
  private final Channel channel;
  private final long fullMsMax;
  private record Held(String text, Promise<Void> written) {}

  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private long heldChars;
  private String newestSnapshot;
  private long fullTimer = -1;
  private boolean closing;
  private Runnable whenCleared;

  Outbox(Vertx vertx, Channel channel) {
    this(vertx, channel, FULL_MS_MAX);
  }

  Outbox(Vertx vertx, Channel channel, long fullMsMax) {
    this.vertx = vertx;
    this.channel = channel;
    this.fullMsMax = fullMsMax;
  }

  /** A frame that later ones never replace; its future completes when it is written, or fails when it never will be. */
  Future<Void> send(String text) {
    if (closing || channel.closed()) {
      return Future.failedFuture("the connection is closed");
    }
    if (!waiting() && !channel.full()) {
      return channel.write(text);
    }
    Held frame = new Held(text, Promise.promise());
    held.add(frame);
    heldChars += text.length();
    if (heldChars > HELD_CHARS_MAX) {
      tooSlow("more than " + HELD_CHARS_MAX / 1024 + " KiB waited for it to read");
    } else {
      waitForRoom();
    }
    return frame.written().future();
  }

  /** The mind's state: only the newest one matters, so a slow client gets that one alone. */
  void sendSnapshot(String text) {
    if (closing || channel.closed()) {
      return;
    }
    if (!waiting() && !channel.full()) {
      channel.write(text);
      return;
    }
    newestSnapshot = text;
    waitForRoom();
  }

  int heldFrames() {
    return held.size() + (newestSnapshot == null ? 0 : 1);
  }

  /**
   * Stops reading the client's requests while their answers wait, until they are all written: a
   * client that asks faster than it reads is slowed down, not let go, and its answers stay within the bound.
   */
  void pauseWhileHeld(Runnable pause, Runnable resume) {
    if (waiting() && whenCleared == null && !closing) {
      pause.run();
      whenCleared = resume;
    }
  }

  private boolean waiting() {
    return !held.isEmpty() || newestSnapshot != null;
  }

  private void waitForRoom() {
    if (fullTimer == -1) {
      fullTimer = vertx.setTimer(fullMsMax, t -> {
        fullTimer = -1;
        tooSlow("its connection took nothing for " + fullMsMax + " ms");
      });
      channel.onDrain(v -> flush());
    }
  }

  private void flush() {
    vertx.cancelTimer(fullTimer);
    fullTimer = -1;
    while (!held.isEmpty() && !channel.full()) {
      Held frame = held.poll();
      heldChars -= frame.text().length();
      channel.write(frame.text()).onComplete(frame.written());
    }
    if (held.isEmpty() && newestSnapshot != null && !channel.full()) {
      channel.write(newestSnapshot);
      newestSnapshot = null;
    }
    if (waiting() && !closing) {
      waitForRoom();
    } else if (whenCleared != null) {
      Runnable resume = whenCleared;
      whenCleared = null;
      resume.run();
    }
  }

  private void tooSlow(String why) {
    if (closing) {
      return;
    }
    closing = true;
    vertx.cancelTimer(fullTimer);
    held.forEach(frame -> frame.written().tryFail("the client was too slow"));
    held.clear();
    heldChars = 0;
    newestSnapshot = null;
    // A close reason holds at most 123 bytes.
    String reason = "too slow: " + why;
    channel.close(POLICY_VIOLATION, reason.length() > 123 ? reason.substring(0, 123) : reason);
  }
}
