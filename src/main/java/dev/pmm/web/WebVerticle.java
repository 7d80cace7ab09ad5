package dev.pmm.web;

import dev.pmm.Addresses;
import dev.pmm.Telemetry;
import dev.pmm.config.Setting;
import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.ledger.StorageFaults;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.core.http.HttpServerOptions;
import dev.pmm.mind.TurnVerticle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** HTTP: the page, REST over the event bus, /health and /metrics. */
public class WebVerticle extends VerticleBase {

  private static final Pattern KIND = Pattern.compile("[a-z0-9_.-]{1,64}");
  private static final int EVENTS_LIMIT_MAX = 1000;
  private static final DeliveryOptions STATUS_TIMEOUT = new DeliveryOptions().setSendTimeout(2000);

  private HttpServer server;
  private WebSockets sockets;
  private ChatSocket.Limits limits;
  private TurnRate turnRate;
  private ConnectionSlots slots;
  private long httpChats;
  /**
   * Set as the start goes on when the web listens first ({@link #listeningFirst}): until the caches
   * are ready /health says STARTING; until all is deployed a missing component is starting, not down.
   */
  private volatile boolean cachesReady = true;
  private volatile boolean allStarted = true;

  @Override
  public Future<?> start() {
    String host = Setting.HTTP_HOST.stringIn(config());
    int port = Setting.HTTP_PORT.intIn(config());
    AccessToken token = new AccessToken(Setting.AUTH_TOKEN.stringIn(config()));
    if (!token.required() && !isLoopback(host)) {
      return Future.failedFuture(new IllegalStateException("refusing to listen on " + host
          + " without an auth token: set PMM_TOKEN (or listen on 127.0.0.1)"));
    }
    List<String> allowedHosts = Setting.WEB_ALLOWED_HOSTS.listIn(config());
    List<String> allowedOrigins = Setting.WEB_ALLOWED_ORIGINS.listIn(config());
    BrowserRules rules;
    try {
      rules = new BrowserRules(host, port, allowedHosts, allowedOrigins);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    limits = new ChatSocket.Limits(Setting.WEB_WS_MAX_FRAME_BYTES.intIn(config()),
        Setting.TURN_TEXT_MAX_CHARS.intIn(config()));
    turnRate = new TurnRate(Setting.WEB_TURNS_PER_MINUTE.intIn(config()), System::currentTimeMillis);
    vertx.setPeriodic(60_000, t -> turnRate.sweep());
    slots = new ConnectionSlots(Setting.WEB_CONNECTIONS_MAX.intIn(config()));
    sockets = new WebSockets(vertx, turnRate);
    RequestGuards guards = new RequestGuards(token, isLoopback(host), rules);

    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      // The page must not be framed by another site, and responses are what they say they are.
      ctx.response().putHeader("X-Frame-Options", "DENY")
          .putHeader("Content-Security-Policy", "frame-ancestors 'none'")
          .putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.route().handler(guards::host);
    router.route("/ws").handler(guards::origin).handler(guards::token).handler(this::webSocket);
    router.route("/api/*").handler(guards::originUnlessRead).handler(guards::token).handler(guards::jsonBody);
    router.route("/eventbus/*").handler(guards::origin).handler(guards::token);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx)
        .bridge(EventBusBridge.options(), new EventBusBridge(vertx, turnRate, slots)));
    router.get("/health").handler(guards::tokenUnlessLoopback).handler(this::health);
    router.get("/metrics").handler(guards::tokenUnlessLoopback).handler(this::metrics);
    router.get("/api/snapshot").handler(ctx -> forward(ctx, Addresses.SNAPSHOT_GET, null));
    router.get("/api/verify").handler(ctx -> forward(ctx, Addresses.LEDGER_VERIFY, null,
        new DeliveryOptions().setSendTimeout(600_000)));
    router.get("/api/verify/status").handler(ctx -> forward(ctx, Addresses.LEDGER_VERIFY_STATUS, null));
    router.get("/api/events").handler(this::events);
    // No file uploads: chat takes JSON, and BodyHandler would otherwise create ./file-uploads.
    router.post("/api/chat").handler(BodyHandler.create(false).setBodyLimit(limits.maxFrameBytes())).handler(this::chat);
    router.route("/api/*").handler(ctx -> error(ctx, 404, "not_found", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    // Whatever fails before a handler answers (a body over the limit, a query that cannot be
    // decoded, an exception) still gets a JSON error.
    router.route().failureHandler(this::failure);

    // Frames up to 2 MB reach the protocol, which answers too_large past its own limit instead of
    // the connection being dropped.
    HttpServerOptions options = new HttpServerOptions().setMaxWebSocketFrameSize(2 * 1024 * 1024)
        .setMaxWebSocketMessageSize(2 * 1024 * 1024);
    return vertx.createHttpServer(options).requestHandler(router).listen(port, host)
        .onSuccess(s -> {
          server = s;
          if (s.actualPort() != port) {
            guards.bound(new BrowserRules(host, s.actualPort(), allowedHosts, allowedOrigins));
          }
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e)));
  }

  /** Deployed before the rest of the server, which then says when its caches are ready and when it is all started. */
  public WebVerticle listeningFirst() {
    cachesReady = false;
    allStarted = false;
    return this;
  }

  /** The caches have caught up with the ledger: turns and snapshots are served. */
  public void cachesReady() {
    cachesReady = true;
  }

  /** Every verticle is deployed, memory included. */
  public void allStarted() {
    allStarted = true;
  }

  /** The port actually bound (tests listen on port 0). */
  public int port() {
    return server.actualPort();
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  /** Origin and token were checked before the upgrade: a socket opened only to be closed looks like a dead server. */
  private void webSocket(RoutingContext ctx) {
    if (!cachesReady) {
      // The page tries again with its back-off, and asks /health why meanwhile.
      error(ctx, 503, "unavailable", "the server is starting; try again in a moment");
      return;
    }
    if (!slots.take()) {
      error(ctx, 503, "busy", "the server has " + slots.max() + " connections open (web.connections.max); try again later");
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(ws -> {
          ChatSocket socket = new ChatSocket(vertx, ws, sockets.nextConnectionId(), RequestGuards.client(ctx), limits, sockets);
          sockets.add(socket);
          ws.closeHandler(v -> {
            sockets.remove(socket);
            slots.release();
          });
          socket.start();
        })
        .onFailure(e -> slots.release());
  }

  private void failure(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    int status = ctx.statusCode() >= 400 && ctx.statusCode() < 600 ? ctx.statusCode() : 500;
    if (status == 413) {
      error(ctx, 413, "too_large", "a request body may hold at most " + limits.maxFrameBytes() + " bytes");
    } else if (status < 500) {
      error(ctx, status, "bad_request", ctx.failure() != null && ctx.failure().getMessage() != null
          ? ctx.failure().getMessage() : "the request could not be read (HTTP " + status + ")");
    } else {
      error(ctx, status, "internal_error", "the server failed on this request: "
          + (ctx.failure() == null ? "HTTP " + status : ctx.failure().toString()));
    }
  }

  private void chat(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      error(ctx, 400, "bad_request", "the body must be JSON {\"text\": \"...\"}: " + reason(e));
      return;
    }
    if (body == null || !(body.getValue("text") instanceof String)) {
      error(ctx, 400, "bad_request", "the body must be JSON {\"text\": \"...\"}");
      return;
    }
    if (!turnRate.allow(RequestGuards.client(ctx))) {
      error(ctx, 429, "rate_limited", "at most " + turnRate.perMinute() + " turns a minute from one client; wait a moment");
      return;
    }
    String connection = "http" + ++httpChats;
    // A client that gave up waiting does not keep its turn queued ahead of others.
    ctx.response().closeHandler(v -> vertx.eventBus().request(Addresses.TURN_CANCEL, new JsonObject().put("connection", connection)));
    forward(ctx, Addresses.TURN_SUBMIT, new JsonObject().put("text", body.getString("text")).put("connection", connection),
        new DeliveryOptions().setSendTimeout(TurnVerticle.REPLY_WAIT_MS));
  }

  /** The first line of a parse error, without Jackson's source excerpt. */
  private static String reason(RuntimeException e) {
    String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    message = message.lines().findFirst().orElse("").replaceAll(" at \\[Source.*", "");
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }

  private void events(RoutingContext ctx) {
    JsonObject request = new JsonObject();
    try {
      request.put("limit", intQuery(ctx, "limit", 100, 1, EVENTS_LIMIT_MAX));
      String before = ctx.request().getParam("before");
      if (before != null) {
        request.put("before", intQuery(ctx, "before", 0, 1, Long.MAX_VALUE));
      } else {
        request.put("after", intQuery(ctx, "after", 0, 0, Long.MAX_VALUE));
      }
      String kind = ctx.request().getParam("kind");
      if (kind != null) {
        if (!KIND.matcher(kind).matches()) {
          throw new IllegalArgumentException("kind must be 1 to 64 characters from [a-z0-9_.-]");
        }
        request.put("kind", kind);
      }
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "bad_request", e.getMessage());
      return;
    }
    forward(ctx, Addresses.LEDGER_READ, request);
  }

  private static long intQuery(RoutingContext ctx, String name, long fallback, long min, long max) {
    String raw = ctx.request().getParam(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min
          + (max == Long.MAX_VALUE ? " up" : " to " + max) + ", got \"" + raw + "\"");
    }
  }

  private void forward(RoutingContext ctx, String address, Object body) {
    forward(ctx, address, body, new DeliveryOptions());
  }

  private void forward(RoutingContext ctx, String address, Object body, DeliveryOptions options) {
    vertx.eventBus().request(address, body, options)
        .onSuccess(reply -> json(ctx, 200, (JsonObject) reply.body()))
        .onFailure(e -> {
          if (e instanceof ReplyException re && re.failureCode() == 400) {
            error(ctx, 400, "bad_request", re.getMessage());
          } else if (e instanceof ReplyException re && re.failureCode() == StorageFaults.DISK_FULL) {
            error(ctx, StorageFaults.DISK_FULL, "storage_full", re.getMessage());
          } else if (e instanceof ReplyException re && re.failureCode() == TurnVerticle.BUSY) {
            error(ctx, 429, "busy", re.getMessage());
          } else if (e instanceof ReplyException re && re.failureCode() == LedgerVerticle.UNAVAILABLE) {
            error(ctx, LedgerVerticle.UNAVAILABLE, "unavailable", re.getMessage());
          } else if (e instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 600) {
            error(ctx, 502, re.failureCode() == TurnVerticle.CANCELLED ? "turn_aborted" : "turn_failed", re.getMessage());
          } else if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS && !cachesReady) {
            error(ctx, 503, "unavailable", "the server is starting: its caches are catching up with the ledger; try again in a moment");
          } else {
            error(ctx, 503, "unavailable", e.getMessage());
          }
        });
  }

  private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();
  static {
    COMPONENTS.put("ledger", Addresses.LEDGER_STATUS);
    COMPONENTS.put("projection", Addresses.PROJECTION_STATUS);
    COMPONENTS.put("metrics", Addresses.METRICS_STATUS);
    COMPONENTS.put("memory", Addresses.MEMORY_STATUS);
    COMPONENTS.put("turns", Addresses.TURN_STATUS);
    COMPONENTS.put("autonomy", Addresses.TICK_STATUS);
  }

  /** Every component's status; a component that does not answer counts as DOWN. */
  private Future<JsonObject> statuses() {
    List<String> names = List.copyOf(COMPONENTS.keySet());
    List<Future<JsonObject>> replies = names.stream()
        .map(name -> vertx.eventBus().<JsonObject>request(COMPONENTS.get(name), null, STATUS_TIMEOUT)
            .map(m -> m.body())
            .otherwise(e -> !allStarted && e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
                ? new JsonObject().put("status", "STARTING").put("reasons", List.of(name + " is starting"
                    + (name.equals("memory") ? ": the embedding model is loading (recall is empty meanwhile)" : "")))
                : new JsonObject().put("status", "DOWN").put("reasons", List.of(name + " does not answer: " + e.getMessage()))))
        .toList();
    return Future.join(replies).map(all -> {
      JsonObject components = new JsonObject();
      for (int i = 0; i < names.size(); i++) {
        components.put(names.get(i), replies.get(i).result());
      }
      return components;
    });
  }

  private void health(RoutingContext ctx) {
    statuses().onSuccess(components -> {
      if (!cachesReady) {
        json(ctx, 503, new JsonObject().put("status", "STARTING").put("components", components));
        return;
      }
      String status = "UP";
      for (String name : components.fieldNames()) {
        String s = components.getJsonObject(name).getString("status", "DOWN");
        if (s.equals("DOWN")) {
          status = "DOWN";
        } else if (s.equals("DEGRADED") && status.equals("UP")) {
          status = "DEGRADED";
        }
      }
      json(ctx, status.equals("DOWN") ? 503 : 200, new JsonObject().put("status", status).put("components", components));
    });
  }

  private void metrics(RoutingContext ctx) {
    statuses().onSuccess(components -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(PrometheusText.of(components) + Telemetry.scrape()));
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }
}
