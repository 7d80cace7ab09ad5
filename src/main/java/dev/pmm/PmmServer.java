package dev.pmm;

import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.memory.MemoryVerticle;
import dev.pmm.metrics.MetricsVerticle;
import dev.pmm.mind.AutonomyVerticle;
import dev.pmm.mind.TurnVerticle;
import dev.pmm.projection.ProjectionVerticle;
import dev.pmm.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Deploys the server, storage first, then the caches that replay from it, then the web. */
public final class PmmServer {
  private PmmServer() {}

  /** Storage and the caches: enough for the snapshot, with no network listener. */
  public static Future<Void> deployCore(Vertx vertx, JsonObject config) {
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    return vertx.deployVerticle(new LedgerVerticle(), options)
        .compose(id -> vertx.deployVerticle(new MetricsVerticle(), options))
        .compose(id -> vertx.deployVerticle(new ProjectionVerticle(), options))
        .mapEmpty();
  }

  /** The mind at work: user turns and the autonomy tick, on top of the core. */
  public static Future<Void> deployMind(Vertx vertx, JsonObject config) {
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    return vertx.deployVerticle(new TurnVerticle(), options)
        .compose(id -> vertx.deployVerticle(new AutonomyVerticle(), options))
        .mapEmpty();
  }

  /**
   * Everything; completes with the web verticle so callers can learn the bound port. The web
   * listens first, so /health answers STARTING while the caches catch up; turns are served once
   * they have, and memory (the embedding model) loads last, recall being empty meanwhile. Memory is
   * deployed here, not in {@link #deployCore}: the command line's snapshot and the bench use the
   * core and should neither load the embedding model nor embed anything.
   */
  public static Future<WebVerticle> deploy(Vertx vertx, JsonObject config) {
    WebVerticle web = new WebVerticle().listeningFirst();
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    return vertx.deployVerticle(web, options)
        .compose(id -> deployCore(vertx, config))
        .compose(v -> deployMind(vertx, config))
        .onSuccess(v -> web.cachesReady())
        .compose(v -> vertx.deployVerticle(new MemoryVerticle(), options))
        .onSuccess(id -> web.allStarted())
        .map(id -> web);
  }
}
