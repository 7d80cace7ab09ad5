package dev.pmm.ledger;

import java.util.Map;

/**
 * What a cache is, apart from the verticle that keeps it live: its fold of the ledger and the form
 * its checkpoints take. One definition per cache, so that the cache, {@code pmm import} (which
 * writes the first checkpoints) and {@code pmm replay} (which checks them) cannot fold differently.
 *
 * @param <S> the mutable fold state
 */
public interface CacheFold<S> {

  /** The name of this cache's rows in the checkpoint table. */
  String cacheName();

  /** The state before the first event. */
  S freshState();

  void fold(S state, Event event);

  Map<String, Object> saveState(S state);

  /** @throws IllegalArgumentException when the state is not one this version can read */
  S restoreState(Map<String, Object> saved);
}
