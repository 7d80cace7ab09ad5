package dev.pmm.ledger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole chain's verification, one scan at a time: a request that comes while one runs joins
 * it, so that any number of callers cost one scan. The newest finished one is remembered, with when
 * it ran and how far it went, for /health and the page.
 */
final class SharedVerification {

  /** A finished verification as callers and /health see it. */
  record Result(ChainVerifier verifier, JsonObject report) {}

  private Future<Result> running;
  private ChainVerifier inProgress;
  private long runningUpTo;
  private String runningSince;
  private JsonObject last;

  /**
   * The verification in progress, or a new one of the events up to {@code upTo}.
   *
   * @param scan   verifies the events up to an id into the verifier it is given
   * @param record keeps the finished report (in storage), before callers hear of it
   */
  Future<Result> join(long upTo, String source, Supplier<ChainVerifier> newVerifier,
                      Function<ChainVerifier, Future<Void>> scan, Function<JsonObject, Future<Void>> record) {
    if (running != null) {
      return running;
    }
    ChainVerifier verifier = newVerifier.get();
    String started = Timestamps.isoformat(Instant.now());
    inProgress = verifier;
    runningUpTo = upTo;
    runningSince = started;
    running = scan.apply(verifier).compose(v -> {
      JsonObject report = new JsonObject(verifier.report()).put("source", source).put("up_to", upTo)
          .put("up_to_hash", verifier.lastHash()).put("started_at", started)
          .put("verified_at", Timestamps.isoformat(Instant.now()));
      return record.apply(report).map(recorded -> {
        last = report;
        return new Result(verifier, report);
      });
    });
    running.onComplete(done -> {
      running = null;
      inProgress = null;
    });
    return running;
  }

  /** The newest recorded verification, read back at start-up. */
  void remember(JsonObject report) {
    last = report;
  }

  /** {running, checked, up_to, started_at} of a scan in progress, and the last finished one (without its breaks). */
  JsonObject progress() {
    JsonObject progress = new JsonObject().put("running", running != null);
    if (running != null) {
      progress.put("checked", inProgress.events()).put("up_to", runningUpTo).put("started_at", runningSince);
    }
    return progress.put("last", last == null ? null : last.copy().put("breaks", null));
  }
}
