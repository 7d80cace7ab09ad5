package dev.pmm.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Host and Origin rules on their own: which headers count as this server's. */
class BrowserRulesTest {

  private final BrowserRules rules = new BrowserRules("127.0.0.1", 8080, List.of("pmm.example.com", "proxy.example:9000"),
      List.of("https://trusted.example"));

  @Test
  void theLoopbackNamesWithTheServersPortAreItsHosts() {
    for (String host : List.of("127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LocalHost:8080", "[0:0:0:0:0:0:0:1]:8080")) {
      if (host.startsWith("[0")) {
        assertFalse(rules.hostAllowed(host), "only the spelling [::1]: " + host);
      } else {
        assertTrue(rules.hostAllowed(host), host);
      }
    }
    assertTrue(rules.hostAllowed(null), "no Host: not a browser, nothing to rebind");
  }

  @Test
  void otherNamesPortsAndTricksAreNot() {
    for (String host : List.of("evil.example:8080", "evil.example", "localhost:8081", "localhost", "127.0.0.1",
        "localhost.:8080", "127.0.0.1.evil.example:8080", "localhost:8080@evil.example", "", " ", "[::1", "[::1]8080",
        "localhost:", "localhost:99999", "localhost:80a", "pmm.example.com.evil.example", "proxy.example:9001",
        "proxy.example", "évil.example:8080")) {
      assertFalse(rules.hostAllowed(host), host);
    }
  }

  @Test
  void allowedHostsTakeAnyPortUnlessTheyNameOne() {
    assertTrue(rules.hostAllowed("pmm.example.com"));
    assertTrue(rules.hostAllowed("pmm.example.com:443"));
    assertTrue(rules.hostAllowed("PMM.example.com:8443"));
    assertTrue(rules.hostAllowed("proxy.example:9000"));
  }

  @Test
  void thePagesOwnOriginsAndTheListedOnesAreAllowed() {
    for (String origin : List.of("http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080",
        "https://pmm.example.com", "http://proxy.example:9000", "https://trusted.example", "https://trusted.example/",
        "HTTPS://Trusted.Example")) {
      assertTrue(rules.originAllowed(origin), origin);
    }
    assertTrue(rules.originAllowed(null), "no Origin: curl, services, the CLI");
  }

  @Test
  void everyOtherOriginIsRefused() {
    for (String origin : List.of("http://evil.example", "http://evil.example:8080", "null", "", "http://localhost:3000",
        "http://localhost", "https://127.0.0.1:8080.evil.example", "http://trusted.example", "https://trusted.example:8443",
        "file://", "chrome-extension://abc", "http://127.0.0.1:8080/path", "http://user@127.0.0.1:8080",
        "ws://127.0.0.1:8080", "https://pmm.example.com.evil.example")) {
      assertFalse(rules.originAllowed(origin), origin);
    }
  }

  @Test
  void aConfiguredListenHostCountsWithItsPort() {
    BrowserRules named = new BrowserRules("pmm.lan", 9090, List.of(), List.of());
    assertTrue(named.hostAllowed("pmm.lan:9090"));
    assertTrue(named.originAllowed("http://pmm.lan:9090"));
    assertFalse(named.hostAllowed("pmm.lan:8080"));
    assertTrue(named.hostAllowed("127.0.0.1:9090"));
  }

  @Test
  void aWildcardListenHostCountsEveryInterfaceAddress() {
    BrowserRules wildcard = new BrowserRules("0.0.0.0", 9090, List.of(), List.of());
    assertTrue(wildcard.describeHosts().contains("127.0.0.1:9090"), wildcard.describeHosts());
    assertFalse(wildcard.hostAllowed("evil.example:9090"));
  }

  @Test
  void badEntriesInTheConfigurationStopTheStart() {
    IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
        () -> new BrowserRules("127.0.0.1", 8080, List.of("http://pmm.example.com"), List.of()));
    assertTrue(host.getMessage().contains("web.allowed.hosts"), host.getMessage());
    IllegalArgumentException origin = assertThrows(IllegalArgumentException.class,
        () -> new BrowserRules("127.0.0.1", 8080, List.of(), List.of("trusted.example")));
    assertTrue(origin.getMessage().contains("web.allowed.origins"), origin.getMessage());
  }
}
