package dev.pmm.projection;

import dev.pmm.config.ConfigKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The projection's fold reads the same configuration wherever it is made (the cache, import, replay). */
class ProjectionFoldTest {

  @Test
  void expiredKeepComesFromItsConfigKeyWithTheDefaultOf100() {
    assertEquals(7, ProjectionFold.configured(new JsonObject().put(ConfigKeys.PROJECTION_EXPIRED_KEEP, 7))
        .freshState().expiredLimit());
    assertEquals(100, ProjectionFold.configured(new JsonObject()).freshState().expiredLimit());
  }
}
