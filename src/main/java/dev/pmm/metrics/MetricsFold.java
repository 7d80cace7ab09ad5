package dev.pmm.metrics;

import dev.pmm.ledger.CacheFold;
import dev.pmm.ledger.Event;

import java.util.Map;

/** The metrics' fold: IAS, GAS and the stage ({@link MetricsState}); it reads no configuration. */
public final class MetricsFold implements CacheFold<MetricsState> {

  public static final String CACHE_NAME = "metrics";

  @Override
  public String cacheName() {
    return CACHE_NAME;
  }

  @Override
  public MetricsState freshState() {
    return new MetricsState();
  }

  @Override
  public void fold(MetricsState state, Event event) {
    state.apply(event);
  }

  @Override
  public Map<String, Object> saveState(MetricsState state) {
    return state.toState();
  }

  @Override
  public MetricsState restoreState(Map<String, Object> saved) {
    return MetricsState.fromState(saved);
  }
}
