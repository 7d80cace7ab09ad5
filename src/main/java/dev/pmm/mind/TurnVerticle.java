package dev.pmm.mind;

import dev.pmm.Addresses;
import dev.pmm.config.Setting;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.EventJson;
import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.ledger.StorageFaults;
import dev.pmm.model.ChatCall;
import dev.pmm.model.ChatModel;
import dev.pmm.model.ChatModels;
import dev.pmm.model.ChatRequest;
import dev.pmm.model.ModelException;
import dev.pmm.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * User turns, one at a time in arrival order: append the user's message, build the context once
 * from the caches, stream the model's reply, append it only when complete, then what the exchange
 * says (a name, commitments made, commitments done). A turn reads no storage: the snapshot, the
 * conversation ring and recall are all in memory.
 */
public class TurnVerticle extends VerticleBase {

  /** Failure codes on pmm.turn.submit. */
  public static final int BAD_REQUEST = 400;
  /** The turn queue holds turn.queue.max turns already: nothing was queued or written. */
  public static final int BUSY = 429;
  public static final int CANCELLED = 499;
  public static final int MODEL_FAILED = 502;

  /**
   * How long whoever submits a turn (REST, /ws, the bridge) waits for its reply: longer than the
   * model may take, so no reply is cut off while tokens still arrive.
   */
  public static final long REPLY_WAIT_MS = 600_000;

  private static final AtomicLong TURN_IDS = new AtomicLong();

  private final class Turn {
    final String id = "t" + System.currentTimeMillis() + "-" + TURN_IDS.incrementAndGet();
    final String clientId;
    /** The connection that submitted it, when one did: its queued turns are dropped when it closes. */
    final String connection;
    final String text;
    final Message<Object> request;
    ChatCall call;
    boolean cancelled;
    long userEventId;
    final StringBuilder partial = new StringBuilder();

    Turn(String clientId, String connection, String text, Message<Object> request) {
      this.clientId = clientId;
      this.connection = connection;
      this.text = text;
      this.request = request;
    }
  }

  private ChatModel model;
  private ConversationRing ring;
  private int maxChars;
  private int queueMax;
  private int recallK;
  private long recallBudgetMs;
  private final Deque<Turn> queue = new ArrayDeque<>();
  private Turn active;
  private long turnsCompleted;
  private long turnsFailed;
  private long turnsAborted;
  /** Why the newest turn failed, while no turn has succeeded since: the model may be unreachable. */
  private String modelTrouble;

  @Override
  public Future<?> start() {
    JsonObject config = config();
    model = ChatModels.create(vertx, config, System.getenv());
    ring = new ConversationRing(Setting.TURN_CONTEXT_RECENT.intIn(config));
    maxChars = Setting.TURN_TEXT_MAX_CHARS.intIn(config);
    queueMax = Setting.TURN_QUEUE_MAX.intIn(config);
    recallK = Setting.MEMORY_RECALL_K.intIn(config);
    recallBudgetMs = Setting.MEMORY_RECALL_BUDGET_MS.longIn(config);
    EventBus bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.LEDGER_APPENDED, msg -> ring.add(EventJson.fromJson(msg.body())));
    return loadRecentConversation().compose(v -> Future.all(
        bus.consumer(Addresses.TURN_SUBMIT, this::onSubmit).completion(),
        bus.consumer(Addresses.TURN_CANCEL, this::onCancel).completion(),
        bus.consumer(Addresses.TURN_STATUS, msg -> msg.reply(status())).completion()));
  }

  /** One read at start-up fills the ring; every later conversation event arrives on pmm.ledger.appended. */
  private Future<Void> loadRecentConversation() {
    return vertx.eventBus().<JsonObject>request(Addresses.LEDGER_READ, new JsonObject().put("before", Long.MAX_VALUE).put("limit", 500))
        .map(reply -> {
          List<Event> newestFirst = EventJson.fromJsonArray(reply.body().getJsonArray("events"));
          // Events that arrived live while the read ran go after the stored ones, once each.
          List<MindContext.Exchange> arrived = ring.recent();
          long firstArrived = arrived.isEmpty() ? Long.MAX_VALUE : arrived.get(0).eventId();
          ring.clear();
          for (int i = newestFirst.size() - 1; i >= 0; i--) {
            if (newestFirst.get(i).id() < firstArrived) {
              ring.add(newestFirst.get(i));
            }
          }
          arrived.forEach(ring::add);
          return null;
        });
  }

  // ---------------------------------------------------------------- submission and queue

  private void onSubmit(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body) || !(body.getValue("text") instanceof String text) || text.isEmpty()) {
      msg.fail(BAD_REQUEST, "a turn needs {\"text\": \"...\"} with some text");
      return;
    }
    if (!Texts.hasVisibleCharacter(text)) {
      msg.fail(BAD_REQUEST, "the text has no visible characters: only whitespace, control, format or zero-width ones");
      return;
    }
    if (text.length() > maxChars) {
      msg.fail(BAD_REQUEST, "the text is " + text.length() + " characters, over the limit of " + maxChars);
      return;
    }
    if (dev.pmm.ledger.AppendRequest.loneSurrogate(text) >= 0) {
      msg.fail(BAD_REQUEST, "the text is not valid Unicode: a lone surrogate at character "
          + dev.pmm.ledger.AppendRequest.loneSurrogate(text));
      return;
    }
    if (queue.size() >= queueMax) {
      msg.fail(BUSY, "busy: " + queue.size() + " turns are waiting already (turn.queue.max); try again in a moment");
      return;
    }
    Object clientId = body.getValue("id");
    Turn turn = new Turn(clientId == null ? null : String.valueOf(clientId), body.getString("connection"), text, msg);
    queue.add(turn);
    if (active != null) {
      vertx.eventBus().publish(Addresses.TURN_QUEUED, new JsonObject().put("turn", turn.id).put("id", turn.clientId)
          .put("position", queue.size()));
    }
    next();
  }

  private void onCancel(Message<Object> msg) {
    if (msg.body() instanceof JsonObject body && body.getValue("connection") instanceof String connection) {
      dropQueued(connection);
      msg.reply(new JsonObject().put("connection", connection));
      return;
    }
    String turnId = msg.body() instanceof JsonObject body ? body.getString("turn") : null;
    if (active != null && active.id.equals(turnId)) {
      active.cancelled = true;
      if (active.call != null) {
        active.call.cancel();
      }
      msg.reply(new JsonObject().put("turn", turnId).put("cancelled", true));
      return;
    }
    for (Turn queued : queue) {
      if (queued.id.equals(turnId)) {
        // Never started: nothing of it is in the ledger, so nothing is appended for it.
        queue.remove(queued);
        queued.request.fail(CANCELLED, "cancelled before it started");
        msg.reply(new JsonObject().put("turn", turnId).put("cancelled", true));
        return;
      }
    }
    msg.reply(new JsonObject().put("turn", turnId).put("cancelled", false));
  }

  /** A closed connection's turns that have not started: never in the ledger, so nothing is written for them. */
  private void dropQueued(String connection) {
    queue.removeIf(turn -> {
      if (!connection.equals(turn.connection)) {
        return false;
      }
      turn.request.fail(CANCELLED, "dropped: the connection that sent it closed before it started");
      return true;
    });
  }

  private void next() {
    if (active != null || queue.isEmpty()) {
      return;
    }
    active = queue.poll();
    run(active).onComplete(ar -> {
      active = null;
      next();
    });
  }

  // ---------------------------------------------------------------- one turn

  private Future<Void> run(Turn turn) {
    long started = System.nanoTime();
    List<Long> eventIds = new ArrayList<>();
    return append("user_message", turn.text, new JsonObject().put("turn", turn.id))
        .compose(userEvent -> {
          turn.userEventId = userEvent;
          eventIds.add(userEvent);
          vertx.eventBus().publish(Addresses.TURN_STARTED, new JsonObject().put("turn", turn.id).put("id", turn.clientId)
              .put("user_event_id", userEvent));
          return context(turn);
        })
        .compose(context -> reply(turn, context).compose(reply -> finish(turn, context, reply, eventIds)))
        .onSuccess(v -> {
          turnsCompleted++;
          modelTrouble = null;
          JsonObject done = new JsonObject().put("turn", turn.id).put("id", turn.clientId)
              .put("reply", turn.partial.toString()).put("event_ids", new JsonArray(eventIds));
          vertx.eventBus().publish(Addresses.TURN_DONE, done);
          turn.request.reply(done);
        })
        .recover(e -> failed(turn, e))
        .onComplete(ar -> Telemetry.record("pmm.turn.duration", "A turn from its submission to its last event", System.nanoTime() - started))
        .mapEmpty();
  }

  private Future<MindContext> context(Turn turn) {
    EventBus bus = vertx.eventBus();
    List<MindContext.Exchange> recent = ring.recent().stream().filter(e -> e.eventId() < turn.userEventId).toList();
    Set<Long> exclude = new HashSet<>();
    recent.forEach(e -> exclude.add(e.eventId()));
    exclude.add(turn.userEventId);
    Future<JsonArray> recalled = bus.<JsonObject>request(Addresses.MEMORY_RECALL,
            new JsonObject().put("text", turn.text).put("k", recallK).put("exclude", new JsonArray(new ArrayList<>(exclude))),
            new DeliveryOptions().setSendTimeout(recallBudgetMs + 250))
        .map(reply -> reply.body().getJsonArray("items"))
        // No memory deployed, or it is late: the turn goes on without recall.
        .otherwise(new JsonArray());
    return Future.all(bus.<JsonObject>request(Addresses.SNAPSHOT_FULL, null), recalled)
        .map(all -> Contexts.of(all.<Message<JsonObject>>resultAt(0).body(), recent, all.resultAt(1), turn.text));
  }

  private Future<String> reply(Turn turn, MindContext context) {
    if (turn.cancelled) {
      return Future.failedFuture(new ModelException("cancelled", "the turn was stopped"));
    }
    turn.call = model.start(new ChatRequest(ChatRequest.Purpose.CHAT, PromptBuilder.chat(context), context), token -> {
      turn.partial.append(token);
      vertx.eventBus().publish(Addresses.TURN_STREAM, new JsonObject().put("turn", turn.id).put("text", token));
    });
    return turn.call.reply();
  }

  /** The reply, then what it and the user's message say; each event appended in order. */
  private Future<Void> finish(Turn turn, MindContext context, String reply, List<Long> eventIds) {
    turn.partial.setLength(0);
    turn.partial.append(reply);
    JsonObject turnMeta = new JsonObject().put("turn", turn.id).put("user_event_id", turn.userEventId);
    String modelName = model.describe();
    // The parsers take time linear in the texts, yet a few milliseconds for 16,000 characters: a
    // worker thread reads them, so that no message holds the event loop that long.
    return vertx.executeBlocking(() -> {
      List<JsonObject> effects = new ArrayList<>();
      effects.add(Appends.event("assistant_message", reply, turnMeta.copy().put("model", modelName)));
      Optional<String> name = NamingParser.userNamesMind(turn.text)
          .map(n -> new String[] {n, "user"})
          .or(() -> NamingParser.mindAdoptsName(reply).map(n -> new String[] {n, "assistant"}))
          .filter(n -> !n[0].equals(context.name()))
          .map(n -> {
            effects.add(Appends.event("identity_adopt", n[0], turnMeta.copy().put("name", n[0]).put("source", n[1])
                .put("confidence", n[1].equals("user") ? 0.95 : 0.9)));
            return n[0];
          });
      Set<String> open = new HashSet<>();
      context.openCommitments().forEach(c -> open.add(c.cid()));
      for (String cid : ClosureParser.closes(reply, context.openCommitments())) {
        effects.add(Appends.event("commitment_close", "Commitment closed: " + cid, turnMeta.copy().put("cid", cid)
            .put("evidence_type", "done").put("description", reply.length() > 200 ? reply.substring(0, 200) : reply)));
        open.remove(cid);
      }
      for (String text : CommitmentParser.commitments(reply)) {
        String cid = Cids.of(text);
        if (open.add(cid)) {
          effects.add(Appends.event("commitment_open", "Commitment opened: " + text, turnMeta.copy().put("cid", cid)
              .put("text", text).put("source", "assistant")));
        }
      }
      return effects;
    }, false).compose(effects -> Appends.inOrder(vertx.eventBus(), effects)).map(ids -> {
      eventIds.addAll(ids);
      return null;
    });
  }

  /** Exactly one turn_aborted or turn_failed, and only for a turn whose user message is in the ledger. */
  private Future<Void> failed(Turn turn, Throwable cause) {
    boolean cancelled = turn.cancelled || (cause instanceof ModelException me && me.reason().equals("cancelled"));
    String reason = cause instanceof ModelException me ? me.reason() : "error";
    int ledgerCode = ledgerRefusal(cause);
    if (turn.userEventId == 0) {
      turnsFailed++;
      turn.request.fail(ledgerCode != 0 ? ledgerCode : MODEL_FAILED, "the turn could not start: " + cause.getMessage());
      return Future.succeededFuture();
    }
    String kind = cancelled ? "turn_aborted" : "turn_failed";
    JsonObject meta = new JsonObject().put("turn", turn.id).put("user_event_id", turn.userEventId)
        .put("reason", cancelled ? "cancelled" : reason).put("partial_chars", turn.partial.length());
    return append(kind, String.valueOf(cause.getMessage()), meta).otherwiseEmpty().map(id -> {
      if (cancelled) {
        turnsAborted++;
      } else {
        turnsFailed++;
        if (ledgerCode == 0) {
          modelTrouble = "the last turn failed (" + reason + "): " + cause.getMessage();
        }
      }
      JsonObject ended = new JsonObject().put("turn", turn.id).put("id", turn.clientId).put("kind", kind)
          .put("reason", meta.getString("reason")).put("message", cause.getMessage());
      vertx.eventBus().publish(Addresses.TURN_ENDED, ended);
      turn.request.fail(cancelled ? CANCELLED : ledgerCode != 0 ? ledgerCode : MODEL_FAILED,
          kind + ": " + meta.getString("reason") + ": " + cause.getMessage());
      return null;
    });
  }

  /** The ledger's code when it refused to write (a full disk, writes stopped), which callers see as is; else 0. */
  private static int ledgerRefusal(Throwable cause) {
    return cause instanceof ReplyException re
        && (re.failureCode() == StorageFaults.DISK_FULL || re.failureCode() == LedgerVerticle.UNAVAILABLE) ? re.failureCode() : 0;
  }

  private Future<Long> append(String kind, String content, JsonObject meta) {
    return Appends.append(vertx.eventBus(), Appends.event(kind, content, meta));
  }

  private JsonObject status() {
    return new JsonObject().put("status", modelTrouble == null ? "UP" : "DEGRADED")
        .put("reasons", modelTrouble == null ? new JsonArray() : new JsonArray().add(modelTrouble))
        .put("model", model.describe()).put("active", active == null ? null : active.id)
        .put("queued", queue.size()).put("completed", turnsCompleted).put("failed", turnsFailed).put("aborted", turnsAborted);
  }
}
