package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidsTest {

  @Test
  void isTheFirst32HexOfSha256OverTheNormalisedText() {
    // printf 'call the bank' | sha256sum
    assertEquals("947c978408fb8d30b159148d208ae16e", Cids.of("call the bank"));
    assertEquals(32, Cids.of("x").length());
    assertTrue(Cids.of("x").matches("[0-9a-f]{32}"));
  }

  @Test
  void caseAndWhitespaceDoNotChangeIt() {
    assertEquals(Cids.of("call the bank"), Cids.of("  Call   the\tBANK \n"));
  }

  @Test
  void theSameCommitmentParsedTwiceGetsTheSameCid() {
    String a = CommitmentParser.commitments("I will summarise our talk about Paris.").get(0);
    String b = CommitmentParser.commitments("Next, I'll  summarise our talk about Paris!").get(0);
    assertEquals(Cids.of(a), Cids.of(b));
    assertNotEquals(Cids.of(a), Cids.of("summarise our talk about Rome"));
  }
}
