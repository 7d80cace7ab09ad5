package dev.pmm.projection;

import dev.pmm.config.Setting;
import dev.pmm.ledger.CacheFold;
import dev.pmm.ledger.Event;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** The projection's fold: identity, traits and commitments ({@link SelfModel}). */
public final class ProjectionFold implements CacheFold<SelfModel> {

  public static final String CACHE_NAME = "projection";

  private final int expiredKeep;

  /** @param expiredKeep expired commitments the state lists (all are counted) */
  public ProjectionFold(int expiredKeep) {
    this.expiredKeep = expiredKeep;
  }

  /** As the server configures it: {@code projection.expired.keep}. */
  public static ProjectionFold configured(JsonObject config) {
    return new ProjectionFold(Setting.PROJECTION_EXPIRED_KEEP.intIn(config));
  }

  @Override
  public String cacheName() {
    return CACHE_NAME;
  }

  @Override
  public SelfModel freshState() {
    return new SelfModel(expiredKeep);
  }

  @Override
  public void fold(SelfModel state, Event event) {
    state.apply(event);
  }

  @Override
  public Map<String, Object> saveState(SelfModel state) {
    return state.toState();
  }

  @Override
  public SelfModel restoreState(Map<String, Object> saved) {
    return SelfModel.fromState(saved);
  }
}
