package dev.pmm.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTokenTest {

  @Test
  void onlyTheWholeTokenOpens() {
    AccessToken token = new AccessToken("s3cret-token");
    assertTrue(token.required());
    assertTrue(token.accepts("Bearer s3cret-token", null));
    assertTrue(token.accepts(null, "s3cret-token"));
    assertTrue(token.accepts("Bearer wrong", "s3cret-token"), "either place may carry it");
    for (String wrong : new String[] {"s3cret", "s3cret-token2", "S3CRET-TOKEN", "", " s3cret-token", "s3cret-token "}) {
      assertFalse(token.accepts("Bearer " + wrong, null), wrong);
      assertFalse(token.accepts(null, wrong), wrong);
    }
    assertFalse(token.accepts("s3cret-token", null), "the header needs its Bearer scheme");
    assertFalse(token.accepts("Basic s3cret-token", null));
    assertFalse(token.accepts(null, null));
  }

  @Test
  void noTokenConfiguredOpensEverything() {
    for (String none : new String[] {null, "", "  "}) {
      AccessToken token = new AccessToken(none);
      assertFalse(token.required());
      assertTrue(token.accepts(null, null));
    }
  }
}
