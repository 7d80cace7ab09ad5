package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.mind.TurnVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SockJS bridge's rules beyond its address lists: turns count against the client's rate as
 * on /ws, a socket may stop only the turns it started, a turn's client id is shown only to the
 * socket that chose it (so that ids chosen by different clients cannot be confused), and what a
 * socket is sent waits within the bound of an {@link Outbox}.
 */
final class EventBusBridge implements Handler<BridgeEvent> {

  private static final List<String> INBOUND = List.of(Addresses.TURN_SUBMIT, Addresses.TURN_CANCEL, Addresses.SNAPSHOT_GET);
  private static final List<String> OUTBOUND = List.of(Addresses.LEDGER_APPENDED, Addresses.SNAPSHOT_CHANGED,
      Addresses.TURN_STREAM, Addresses.TICK_DONE, Addresses.TURN_QUEUED, Addresses.TURN_STARTED, Addresses.TURN_DONE,
      Addresses.TURN_ENDED);

  private final class Client {
    final String connectionId = "eb" + ++connections;
    final String identity;
    final Outbox outbox;
    /** Submission id sent to the turn verticle → the id the client chose (null when it chose none). */
    final Map<String, Object> submissions = new HashMap<>();
    final Set<String> turns = new HashSet<>();
    long submitted;

    Client(SockJSSocket socket) {
      identity = RequestGuards.client(socket.routingContext());
      outbox = new Outbox(vertx, Outbox.Channel.of(socket, socket::write, (code, reason) -> socket.close(code, reason),
          () -> !clients.containsKey(socket)));
    }
  }

  /** How long a turn's ids outlive its end: its last frames reach the sockets after the end is seen here. */
  private static final long ENDED_TURN_GRACE_MS = 5_000;

  private final Vertx vertx;
  private final TurnRate rate;
  private final ConnectionSlots slots;
  private final Map<SockJSSocket, Client> clients = new HashMap<>();
  private final Map<String, Client> bySubmission = new HashMap<>();
  private long connections;

  EventBusBridge(Vertx vertx, TurnRate rate, ConnectionSlots slots) {
    this.vertx = vertx;
    this.rate = rate;
    this.slots = slots;
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.TURN_QUEUED, m -> ownTurn(m.body()));
    bus.<JsonObject>consumer(Addresses.TURN_STARTED, m -> ownTurn(m.body()));
    bus.<JsonObject>consumer(Addresses.TURN_DONE, m -> endTurn(m.body()));
    bus.<JsonObject>consumer(Addresses.TURN_ENDED, m -> endTurn(m.body()));
  }

  static SockJSBridgeOptions options() {
    SockJSBridgeOptions options = new SockJSBridgeOptions().setReplyTimeout(TurnVerticle.REPLY_WAIT_MS);
    INBOUND.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    OUTBOUND.forEach(a -> options.addOutboundPermitted(new PermittedOptions().setAddress(a)));
    return options;
  }

  @Override
  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> {
        // Refused, the bridge closes the socket at once.
        boolean room = slots.take();
        if (room) {
          clients.put(event.socket(), new Client(event.socket()));
        }
        event.complete(room);
      }
      case SOCKET_CLOSED -> {
        closed(event.socket());
        event.complete(true);
      }
      case SEND, PUBLISH -> {
        inbound(event);
        Client client = clients.get(event.socket());
        if (client != null) {
          client.outbox.pauseWhileHeld(event.socket()::pause, event.socket()::resume);
        }
      }
      case RECEIVE -> outbound(event);
      default -> event.complete(true);
    }
  }

  private void inbound(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    String address = raw.getString("address");
    Client client = clients.get(event.socket());
    if (client == null || !INBOUND.contains(address)) {
      // The bridge's own lists answer these (access_denied).
      event.complete(true);
      return;
    }
    if (event.type() == io.vertx.ext.bridge.BridgeEventType.PUBLISH) {
      refuse(event, 400, "bad_request: " + address + " answers requests; send it with a reply address instead of publishing");
      return;
    }
    if (address.equals(Addresses.TURN_SUBMIT) && raw.getValue("body") instanceof JsonObject body) {
      if (!rate.allow(client.identity)) {
        refuse(event, 429, "rate_limited: at most " + rate.perMinute() + " turns a minute from one client; wait a moment");
        return;
      }
      String submission = client.connectionId + ":" + ++client.submitted;
      client.submissions.put(submission, body.getValue("id"));
      bySubmission.put(submission, client);
      raw.put("body", body.copy().put("id", submission).put("connection", client.connectionId));
    } else if (address.equals(Addresses.TURN_CANCEL)) {
      Object turn = raw.getValue("body") instanceof JsonObject body ? body.getValue("turn") : null;
      if (!(turn instanceof String t) || !client.turns.contains(t)) {
        refuse(event, 403, "forbidden: " + Addresses.TURN_CANCEL + " needs {\"turn\"} of a turn this connection started");
        return;
      }
    }
    event.complete(true);
  }

  /**
   * Everything a socket is sent goes through its outbox (the bridge itself would queue without a
   * bound); a turn's life shows the client id only to the socket that chose it.
   */
  private void outbound(BridgeEvent event) {
    event.complete(false);
    Client client = clients.get(event.socket());
    if (client == null) {
      return;
    }
    JsonObject envelope = event.getRawMessage();
    if (envelope.getValue("body") instanceof JsonObject body && body.containsKey("turn") && body.containsKey("id")) {
      Client owner = bySubmission.get(String.valueOf(body.getValue("id")));
      JsonObject shown = body.copy();
      if (owner == client) {
        shown.put("id", owner.submissions.get(body.getString("id")));
      } else {
        shown.remove("id");
      }
      envelope = envelope.copy().put("body", shown);
    }
    if (Addresses.SNAPSHOT_CHANGED.equals(envelope.getString("address"))) {
      client.outbox.sendSnapshot(envelope.encode());
    } else {
      client.outbox.send(envelope.encode());
    }
  }

  private void ownTurn(JsonObject lifecycle) {
    Client client = bySubmission.get(lifecycle.getString("id"));
    if (client != null) {
      client.turns.add(lifecycle.getString("turn"));
    }
  }

  private void endTurn(JsonObject lifecycle) {
    String submission = lifecycle.getString("id");
    Client client = bySubmission.get(submission);
    if (client != null) {
      client.turns.remove(lifecycle.getString("turn"));
      vertx.setTimer(ENDED_TURN_GRACE_MS, t -> {
        bySubmission.remove(submission);
        client.submissions.remove(submission);
      });
    }
  }

  private void closed(SockJSSocket socket) {
    Client client = clients.remove(socket);
    if (client != null) {
      slots.release();
      client.submissions.keySet().forEach(bySubmission::remove);
      // Turns it queued would run for nobody, ahead of other clients' turns.
      vertx.eventBus().request(Addresses.TURN_CANCEL, new JsonObject().put("connection", client.connectionId));
    }
  }

  /**
   * Answers the sender's reply address as a failed request would be answered (code and message),
   * then lets the bridge reject the message.
   */
  private static void refuse(BridgeEvent event, int code, String message) {
    String replyAddress = event.getRawMessage().getString("replyAddress");
    if (replyAddress != null) {
      event.socket().write(Buffer.buffer(new JsonObject().put("type", "err").put("address", replyAddress)
          .put("failureCode", code).put("failureType", ReplyFailure.RECIPIENT_FAILURE.name()).put("message", message).encode()));
    }
    event.complete(false);
  }
}
