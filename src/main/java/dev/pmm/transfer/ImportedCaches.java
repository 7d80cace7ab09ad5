package dev.pmm.transfer;

import dev.pmm.config.Setting;
import dev.pmm.ledger.CacheFold;
import dev.pmm.ledger.Checksums;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.PyJson;
import dev.pmm.ledger.SqlQueries;
import dev.pmm.ledger.Timestamps;
import dev.pmm.metrics.MetricsFold;
import dev.pmm.projection.ProjectionFold;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The server's caches, folded over each event as the import writes it, and saved as their
 * checkpoints at the last event: the first start of the imported mind then loads them instead of
 * replaying the whole ledger. Their states come from a fold from the first event, so they are
 * recorded as checked.
 */
final class ImportedCaches {

  private final List<Folding<?>> caches;

  private ImportedCaches(List<Folding<?>> caches) {
    this.caches = caches;
  }

  /** The caches as the server configures them; none when {@code checkpoint.every} turns checkpoints off. */
  static ImportedCaches configured(JsonObject config) {
    if (Setting.CHECKPOINT_EVERY.longIn(config) <= 0) {
      return new ImportedCaches(List.of());
    }
    return new ImportedCaches(List.of(new Folding<>(ProjectionFold.configured(config)), new Folding<>(new MetricsFold())));
  }

  void fold(Event event) {
    for (Folding<?> cache : caches) {
      cache.fold(event);
    }
  }

  /**
   * One checkpoint per cache at the last event written, as the ledger saves them (canonical state,
   * its checksum, the event's hash), each with its check, in the caller's transaction.
   */
  void writeCheckpoints(Connection c, long lastId, String lastHash) throws SQLException {
    String now = Timestamps.isoformat(Instant.now());
    try (PreparedStatement checkpoint = c.prepareStatement(SqlQueries.CHECKPOINT_INSERT);
         PreparedStatement checked = c.prepareStatement(SqlQueries.CHECKPOINT_CHECKED)) {
      for (Folding<?> cache : caches) {
        String state = cache.stateText();
        checkpoint.setString(1, cache.name());
        checkpoint.setLong(2, lastId);
        checkpoint.setString(3, lastHash);
        checkpoint.setString(4, state);
        checkpoint.setString(5, Checksums.sha256Hex(state));
        checkpoint.setString(6, now);
        checkpoint.executeUpdate();
        checked.setString(1, cache.name());
        checked.setLong(2, lastId);
        checked.setString(3, now);
        checked.executeUpdate();
      }
    }
  }

  private static final class Folding<S> {
    private final CacheFold<S> fold;
    private final S state;

    Folding(CacheFold<S> fold) {
      this.fold = fold;
      this.state = fold.freshState();
    }

    void fold(Event event) {
      fold.fold(state, event);
    }

    String name() {
      return fold.cacheName();
    }

    String stateText() {
      return PyJson.canonical(fold.saveState(state));
    }
  }
}
