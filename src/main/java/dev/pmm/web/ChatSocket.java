package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.ledger.StorageFaults;
import dev.pmm.mind.TurnVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One browser connection speaking the /ws protocol of ARCHITECTURE.md. A bad frame gets an error
 * frame and the connection stays open; a client adds to the ledger only through a turn.
 */
final class ChatSocket {

  record Limits(int maxFrameBytes, int maxTextChars) {}

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final String connectionId;
  /** Whose turns these are, for the per-client rate: the token's holder or the remote address. */
  private final String client;
  private final Limits limits;
  private final Outbox outbox;
  private final WebSockets registry;
  private final Set<String> turns = new HashSet<>();
  /** The message being received, over one or more frames; null between messages. */
  private Buffer message;
  private boolean messageIsText;
  private boolean messageTooLarge;
  private boolean historyInFlight;

  ChatSocket(Vertx vertx, ServerWebSocket ws, String connectionId, String client, Limits limits, WebSockets registry) {
    this.vertx = vertx;
    this.ws = ws;
    this.connectionId = connectionId;
    this.client = client;
    this.limits = limits;
    this.registry = registry;
    this.outbox = new Outbox(vertx, Outbox.Channel.of(ws, ws::writeTextMessage, ws::close, ws::isClosed));
  }

  String connectionId() {
    return connectionId;
  }

  void start() {
    // Messages are put together here rather than by textMessageHandler, which decodes invalid
    // UTF-8 as U+FFFD without a word: such a message is refused, never turned into a turn.
    ws.frameHandler(this::onFrame);
    ws.exceptionHandler(e -> { });
    hello();
  }

  private void hello() {
    Future.all(vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT_GET, null), conversation(Long.MAX_VALUE, 50))
        .onSuccess(all -> send(new JsonObject().put("type", "hello")
            .put("snapshot", all.<io.vertx.core.eventbus.Message<JsonObject>>resultAt(0).body())
            .put("conversation", all.resultAt(1))))
        .onFailure(e -> error(null, "unavailable", "the mind is not available: " + e.getMessage()));
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      messageIsText = frame.isText();
      message = Buffer.buffer();
      messageTooLarge = false;
    } else if (!frame.isContinuation() || message == null) {
      return;
    }
    if (!messageTooLarge) {
      if (message.length() + frame.binaryData().length() > limits.maxFrameBytes()) {
        // The rest of this message is dropped as it arrives; it is answered once, at its end.
        messageTooLarge = true;
        message = Buffer.buffer();
      } else {
        message.appendBuffer(frame.binaryData());
      }
    }
    if (!frame.isFinal()) {
      return;
    }
    Buffer whole = message;
    message = null;
    if (!messageIsText) {
      error(null, "bad_request", "binary frames are not part of the protocol; send JSON text");
    } else if (messageTooLarge) {
      error(null, "too_large", "a frame may hold at most " + limits.maxFrameBytes() + " bytes");
    } else {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(whole.getBytes())).toString();
      } catch (CharacterCodingException e) {
        error(null, "bad_request", "a text frame must be valid UTF-8");
        return;
      }
      onText(text);
    }
    outbox.pauseWhileHeld(ws::pause, ws::resume);
  }

  private void onText(String text) {
    if (text.getBytes(StandardCharsets.UTF_8).length > limits.maxFrameBytes()) {
      error(null, "too_large", "a frame may hold at most " + limits.maxFrameBytes() + " bytes");
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      error(null, "bad_request", "a frame must be a JSON object: " + e.getMessage());
      return;
    }
    Object id = frame.getValue("id");
    if (id != null && !(id instanceof String || id instanceof Number)) {
      error(null, "bad_request", "id must be a string or a number");
      return;
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String t)) {
      error(id, "bad_request", "a frame needs a \"type\": chat, stop, snapshot or history");
      return;
    }
    switch (t) {
      case "chat" -> chat(id, frame);
      case "stop" -> stop(id, frame);
      case "snapshot" -> vertx.eventBus().<JsonObject>request(Addresses.SNAPSHOT_GET, null)
          .onSuccess(m -> sendSnapshot(new JsonObject().put("type", "snapshot").put("snapshot", m.body()).encode()))
          .onFailure(e -> error(id, "unavailable", e.getMessage()));
      case "history" -> history(id, frame);
      default -> error(id, "bad_request", "unknown type \"" + t + "\": chat, stop, snapshot or history");
    }
  }

  private void chat(Object id, JsonObject frame) {
    // Refused here, before the rate counts it; the turn verticle refuses the same for other callers.
    if (!(frame.getValue("text") instanceof String text) || !dev.pmm.mind.Texts.hasVisibleCharacter(text)) {
      error(id, "bad_request", "chat needs a \"text\" with something visible in it");
      return;
    }
    if (text.length() > limits.maxTextChars()) {
      error(id, "too_large", "a message may hold at most " + limits.maxTextChars() + " characters");
      return;
    }
    if (!registry.turnRate().allow(client)) {
      error(id, "rate_limited", "at most " + registry.turnRate().perMinute() + " messages a minute from one client; wait a moment");
      return;
    }
    String submission = registry.submissionId(this, id);
    vertx.eventBus().<JsonObject>request(Addresses.TURN_SUBMIT, new JsonObject().put("text", text).put("id", submission)
            .put("connection", connectionId),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(TurnVerticle.REPLY_WAIT_MS))
        .onSuccess(m -> {
          JsonObject done = m.body();
          turns.remove(done.getString("turn"));
          send(new JsonObject().put("type", "turn_done").put("id", id).put("turn", done.getString("turn"))
              .put("reply", done.getString("reply")).put("event_ids", done.getJsonArray("event_ids")));
        })
        .onFailure(e -> {
          int code = e instanceof ReplyException re ? re.failureCode() : 500;
          String errorCode = code == TurnVerticle.BAD_REQUEST ? "bad_request"
              : code == TurnVerticle.CANCELLED ? "turn_aborted"
              : code == TurnVerticle.BUSY ? "busy"
              : code == StorageFaults.DISK_FULL ? "storage_full"
              : code == LedgerVerticle.UNAVAILABLE ? "unavailable" : "turn_failed";
          error(id, errorCode, e.getMessage());
        });
  }

  private void stop(Object id, JsonObject frame) {
    if (!(frame.getValue("turn") instanceof String turn) || !turns.contains(turn)) {
      error(id, "bad_request", "stop needs the \"turn\" of a turn this connection started");
      return;
    }
    vertx.eventBus().request(Addresses.TURN_CANCEL, new JsonObject().put("turn", turn));
  }

  private void history(Object id, JsonObject frame) {
    Object before = frame.getValue("before", Long.MAX_VALUE);
    Object limit = frame.getValue("limit", 50);
    if (!(before instanceof Integer || before instanceof Long) || !(limit instanceof Integer || limit instanceof Long)
        || ((Number) before).longValue() < 1 || ((Number) limit).longValue() < 1 || ((Number) limit).longValue() > 200) {
      error(id, "bad_request", "history needs \"before\" (an event id) and \"limit\" (1 to 200)");
      return;
    }
    // A client that asks again before it has read the last answer would make the server hold them all.
    if (historyInFlight) {
      error(id, "busy", "one history request at a time: wait for the answer to the last one");
      return;
    }
    historyInFlight = true;
    long b = ((Number) before).longValue();
    conversation(b, ((Number) limit).intValue())
        .compose(events -> send(new JsonObject().put("type", "history").put("id", id).put("before", b).put("events", events)))
        .onFailure(e -> error(id, "unavailable", e.getMessage()))
        .onComplete(done -> historyInFlight = false);
  }

  /**
   * The newest {@code limit} conversation events before an id, oldest first: messages, and the
   * turns that were stopped or failed.
   */
  private Future<JsonArray> conversation(long before, int limit) {
    List<Future<JsonArray>> reads = new ArrayList<>();
    for (String kind : WebSockets.CONVERSATION_KINDS) {
      reads.add(vertx.eventBus().<JsonObject>request(Addresses.LEDGER_READ,
          new JsonObject().put("before", before).put("limit", limit).put("kind", kind)).map(m -> m.body().getJsonArray("events")));
    }
    return Future.all(reads).map(all -> {
      List<JsonObject> merged = new ArrayList<>();
      reads.forEach(r -> r.result().forEach(e -> merged.add((JsonObject) e)));
      merged.sort(Comparator.comparingLong((JsonObject e) -> e.getLong("id")).reversed());
      List<JsonObject> newest = new ArrayList<>(merged.subList(0, Math.min(limit, merged.size())));
      newest.sort(Comparator.comparingLong(e -> e.getLong("id")));
      return new JsonArray(new ArrayList<>(newest));
    });
  }

  void turnStarted(Object clientId, JsonObject started) {
    turns.add(started.getString("turn"));
    send(new JsonObject().put("type", "turn_started").put("id", clientId).put("turn", started.getString("turn"))
        .put("user_event_id", started.getLong("user_event_id")));
  }

  void turnQueued(Object clientId, JsonObject queued) {
    turns.add(queued.getString("turn"));
    send(new JsonObject().put("type", "turn_queued").put("id", clientId).put("turn", queued.getString("turn"))
        .put("position", queued.getInteger("position")));
  }

  boolean owns(String turn) {
    return turns.contains(turn);
  }

  Future<Void> send(JsonObject frame) {
    return outbox.send(frame.encode());
  }

  void sendEncoded(String frame) {
    outbox.send(frame);
  }

  /** A snapshot frame: to a client that does not keep up, only the newest is sent. */
  void sendSnapshot(String frame) {
    outbox.sendSnapshot(frame);
  }

  void error(Object id, String code, String message) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message).put("id", id));
  }
}
