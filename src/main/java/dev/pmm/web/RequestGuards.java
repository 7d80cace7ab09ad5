package dev.pmm.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * What a request must pass before a handler sees it, each refusal a JSON error naming its rule:
 * the Host (DNS rebinding), the Origin (other sites' pages), the token, and a JSON body (HTML forms).
 */
final class RequestGuards {

  private final AccessToken token;
  private final boolean loopbackOnly;
  /** Replaced once the port is bound, which port 0 (tests) leaves to the system. */
  private volatile BrowserRules rules;

  RequestGuards(AccessToken token, boolean loopbackOnly, BrowserRules rules) {
    this.token = token;
    this.loopbackOnly = loopbackOnly;
    this.rules = rules;
  }

  void bound(BrowserRules rules) {
    this.rules = rules;
  }

  /** Every route: the Host must be one this server is reached by; no CORS grant leaves for another origin. */
  void host(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String host = request.getHeader(HttpHeaders.HOST);
    if (!rules.hostAllowed(host)) {
      WebVerticle.error(ctx, 421, "host_not_allowed", "Host \"" + host + "\" is not a name this server is reached by ("
          + rules.describeHosts() + "); a name that points here must be listed in web.allowed.hosts, so that no web"
          + " site can reach this server through a name of its own (DNS rebinding)");
      return;
    }
    // SockJS answers Access-Control-Allow-Origin: * to requests without an Origin; only an origin
    // that passed the Origin rule may ever be granted.
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    ctx.addHeadersEndHandler(v -> {
      String granted = ctx.response().headers().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
      if (granted != null && (origin == null || !granted.equals(origin) || !rules.originAllowed(origin))) {
        ctx.response().headers().remove(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
            .remove(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
      }
    });
    ctx.next();
  }

  /** /ws and /eventbus: only this server's own pages and web.allowed.origins; clients without an Origin pass. */
  void origin(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (!rules.originAllowed(origin)) {
      WebVerticle.error(ctx, 403, "origin_not_allowed", "requests from pages at " + origin + " are refused: only this"
          + " server's own pages and the origins in web.allowed.origins may chat, write or use the event bus");
      return;
    }
    ctx.next();
  }

  /** /api: reading is left to the browser's same-origin policy; anything else goes through {@link #origin}. */
  void originUnlessRead(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      ctx.next();
    } else {
      origin(ctx);
    }
  }

  /** Where a request's client identity is kept for the handlers after the guards (the bridge reads it there too). */
  private static final String CLIENT = "pmm.client";

  /**
   * Who a request comes from, for limits that hold across all of a client's connections: the
   * holder of the token it presented when tokens are in use, else its remote address.
   */
  static String client(RoutingContext ctx) {
    String client = ctx.get(CLIENT);
    return client != null ? client : "address:" + ctx.request().remoteAddress().hostAddress();
  }

  void token(RoutingContext ctx) {
    if (!token.required()) {
      ctx.next();
      return;
    }
    String queryToken;
    try {
      queryToken = ctx.request().getParam("token");
    } catch (IllegalArgumentException e) {
      WebVerticle.error(ctx, 400, "bad_request", "the query string cannot be decoded: " + e.getMessage());
      return;
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (token.accepts(authorization, queryToken)) {
      ctx.put(CLIENT, token.holder());
      ctx.next();
    } else {
      WebVerticle.error(ctx, 401, "unauthorized", "this server needs its token: Authorization: Bearer <token> or ?token=<token>");
    }
  }

  /** /health and /metrics: open while the server listens on loopback only, behind the token beyond it. */
  void tokenUnlessLoopback(RoutingContext ctx) {
    if (loopbackOnly) {
      ctx.next();
    } else {
      token(ctx);
    }
  }

  /** A body must be JSON: an HTML form can post text/plain or form fields to any site, but never JSON. */
  void jsonBody(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      ctx.next();
      return;
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String bare = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!bare.equals("application/json")) {
      WebVerticle.error(ctx, 415, "unsupported_media_type", "a " + method + " body must be sent as Content-Type:"
          + " application/json" + (type == null ? " (none was given)" : " (got \"" + type + "\")"));
      return;
    }
    ctx.next();
  }
}
