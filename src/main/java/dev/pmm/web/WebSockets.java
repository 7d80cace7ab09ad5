package dev.pmm.web;

import dev.pmm.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open /ws connections of one web verticle, and the routing of turn events to the connection
 * that asked: tokens go only to the asker, snapshots and ticks to everyone.
 */
final class WebSockets {

  /** What a chat shows: messages, and turns that ended without a reply. */
  static final java.util.List<String> CONVERSATION_KINDS = java.util.List.of("user_message", "assistant_message", "turn_aborted", "turn_failed");

  private record Submission(ChatSocket socket, Object clientId) {}

  private final AtomicLong ids = new AtomicLong();
  private final Vertx vertx;
  private final TurnRate turnRate;
  private final Map<String, ChatSocket> sockets = new LinkedHashMap<>();
  private final Map<String, Submission> submissions = new LinkedHashMap<>();
  private final Map<String, ChatSocket> byTurn = new LinkedHashMap<>();

  WebSockets(Vertx vertx, TurnRate turnRate) {
    this.vertx = vertx;
    this.turnRate = turnRate;
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.TURN_QUEUED, m -> withSubmission(m.body(), (s, b) -> s.socket().turnQueued(s.clientId(), b)));
    bus.<JsonObject>consumer(Addresses.TURN_STARTED, m -> withSubmission(m.body(), (s, b) -> {
      byTurn.put(b.getString("turn"), s.socket());
      s.socket().turnStarted(s.clientId(), b);
    }));
    bus.<JsonObject>consumer(Addresses.TURN_STREAM, m -> {
      ChatSocket socket = byTurn.get(m.body().getString("turn"));
      if (socket != null) {
        socket.send(new JsonObject().put("type", "token").put("turn", m.body().getString("turn")).put("text", m.body().getString("text")));
      }
    });
    bus.<JsonObject>consumer(Addresses.TURN_DONE, m -> forget(m.body()));
    bus.<JsonObject>consumer(Addresses.TURN_ENDED, m -> forget(m.body()));
    bus.<JsonObject>consumer(Addresses.SNAPSHOT_CHANGED, m -> {
      String frame = new JsonObject().put("type", "snapshot").put("snapshot", m.body()).encode();
      sockets.values().forEach(s -> s.sendSnapshot(frame));
    });
    bus.<JsonObject>consumer(Addresses.TICK_DONE, m -> broadcast(m.body().copy().put("type", "tick")));
    // Every page sees the conversation as it happens, whichever page (or client) started the turn.
    bus.<JsonObject>consumer(Addresses.LEDGER_APPENDED, m -> {
      if (CONVERSATION_KINDS.contains(m.body().getString("kind"))) {
        broadcast(new JsonObject().put("type", "message").put("event", m.body()));
      }
    });
  }

  String add(ChatSocket socket) {
    sockets.put(socket.connectionId(), socket);
    return socket.connectionId();
  }

  String nextConnectionId() {
    return "ws" + ids.incrementAndGet();
  }

  TurnRate turnRate() {
    return turnRate;
  }

  void remove(ChatSocket socket) {
    sockets.remove(socket.connectionId());
    // Turns it queued would run for nobody, ahead of other clients' turns.
    vertx.eventBus().request(Addresses.TURN_CANCEL, new JsonObject().put("connection", socket.connectionId()));
    submissions.values().removeIf(s -> s.socket() == socket);
    byTurn.values().removeIf(s -> s == socket);
  }

  int size() {
    return sockets.size();
  }

  String submissionId(ChatSocket socket, Object clientId) {
    String id = socket.connectionId() + ":" + ids.incrementAndGet();
    submissions.put(id, new Submission(socket, clientId));
    return id;
  }

  private void withSubmission(JsonObject body, java.util.function.BiConsumer<Submission, JsonObject> action) {
    Submission s = submissions.get(body.getString("id"));
    if (s != null) {
      action.accept(s, body);
    }
  }

  private void forget(JsonObject body) {
    submissions.remove(body.getString("id"));
    byTurn.remove(body.getString("turn"));
  }

  private void broadcast(JsonObject frame) {
    String text = frame.encode();
    sockets.values().forEach(s -> s.sendEncoded(text));
  }
}
