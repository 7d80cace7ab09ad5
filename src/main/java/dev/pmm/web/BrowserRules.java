package dev.pmm.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} and {@code Origin} headers belong to this server. A site the user visits can
 * make the browser send requests here: a name that resolves to 127.0.0.1 (DNS rebinding) shows up
 * as a foreign Host, a page of another site as a foreign Origin.
 */
final class BrowserRules {

  private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "[::1]");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]");

  /** "name:port", each a way this server is reached. */
  private final Set<String> hostsWithPort = new LinkedHashSet<>();
  /** Names from web.allowed.hosts given without a port: any port (a reverse proxy's own). */
  private final Set<String> hostsAnyPort = new LinkedHashSet<>();
  private final Set<String> allowedOrigins = new LinkedHashSet<>();

  /**
   * @param listenHost   {@code http.host}; a wildcard adds the addresses of this machine's interfaces
   * @param port         the port actually bound
   * @param allowedHosts {@code web.allowed.hosts}: "name" (any port) or "name:port"
   */
  BrowserRules(String listenHost, int port, Collection<String> allowedHosts, Collection<String> allowedOrigins) {
    for (String name : LOOPBACK_NAMES) {
      hostsWithPort.add(name + ":" + port);
    }
    String listen = bracketed(listenHost.strip().toLowerCase(Locale.ROOT));
    if (WILDCARDS.contains(listen)) {
      interfaceAddresses().forEach(a -> hostsWithPort.add(a + ":" + port));
    } else if (!listen.isEmpty()) {
      hostsWithPort.add(listen + ":" + port);
    }
    for (String entry : allowedHosts) {
      HostPort parsed = HostPort.parse(entry.strip());
      if (parsed == null) {
        throw new IllegalArgumentException("web.allowed.hosts: \"" + entry + "\" is not a host name or host:port");
      }
      if (parsed.port() < 0) {
        hostsAnyPort.add(parsed.name());
      } else {
        hostsWithPort.add(parsed.name() + ":" + parsed.port());
      }
    }
    for (String origin : allowedOrigins) {
      String normal = normalOrigin(origin);
      if (normal == null) {
        throw new IllegalArgumentException("web.allowed.origins: \"" + origin
            + "\" is not an origin like https://example.com or http://example.com:8080");
      }
      this.allowedOrigins.add(normal);
    }
  }

  /** A request without Host cannot come from a browser, so there is nothing to rebind. */
  boolean hostAllowed(String hostHeader) {
    if (hostHeader == null) {
      return true;
    }
    HostPort parsed = HostPort.parse(hostHeader.strip());
    if (parsed == null) {
      return false;
    }
    int port = parsed.port() < 0 ? 80 : parsed.port();
    return hostsWithPort.contains(parsed.name() + ":" + port) || hostsAnyPort.contains(parsed.name());
  }

  /** The page's own origin (served from an allowed host) or one in web.allowed.origins; none at all is a non-browser client. */
  boolean originAllowed(String origin) {
    if (origin == null) {
      return true;
    }
    String normal = normalOrigin(origin);
    if (normal == null) {
      return false;
    }
    if (allowedOrigins.contains(normal)) {
      return true;
    }
    URI uri = URI.create(normal);
    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    HostPort host = HostPort.parse(bracketed(uri.getHost()));
    return host != null && (hostsWithPort.contains(host.name() + ":" + port) || hostsAnyPort.contains(host.name()));
  }

  /** How the server is reached, for error messages. */
  String describeHosts() {
    Set<String> all = new LinkedHashSet<>(hostsWithPort);
    all.addAll(hostsAnyPort);
    return String.join(", ", all);
  }

  /** scheme://host[:port] in lower case, or null when it is not an http(s) origin. */
  private static String normalOrigin(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    if (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    try {
      URI uri = new URI(o);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
          || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
        return null;
      }
      return o;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static Set<String> interfaceAddresses() {
    Set<String> out = new LinkedHashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          String text = address.getHostAddress();
          int zone = text.indexOf('%');
          text = zone >= 0 ? text.substring(0, zone) : text;
          out.add(address instanceof Inet6Address ? "[" + text + "]" : text);
        }
      }
    } catch (SocketException e) {
      // Without the interface list only the loopback names and web.allowed.hosts are accepted.
    }
    return out;
  }

  /** A Host header or host entry: a lower-case name (IPv6 in brackets) and a port, -1 when absent. */
  record HostPort(String name, int port) {
    static HostPort parse(String text) {
      String t = text.toLowerCase(Locale.ROOT);
      String name;
      String port = null;
      if (t.startsWith("[")) {
        int close = t.indexOf(']');
        if (close < 0) {
          return null;
        }
        name = t.substring(0, close + 1);
        String rest = t.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            return null;
          }
          port = rest.substring(1);
        }
      } else {
        int colon = t.indexOf(':');
        name = colon < 0 ? t : t.substring(0, colon);
        port = colon < 0 ? null : t.substring(colon + 1);
      }
      if (name.isEmpty() || !validName(name)) {
        return null;
      }
      if (port == null) {
        return new HostPort(name, -1);
      }
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
          || Integer.parseInt(port) > 65535) {
        return null;
      }
      return new HostPort(name, Integer.parseInt(port));
    }

    private static boolean validName(String name) {
      if (name.startsWith("[")) {
        return name.length() > 2 && name.substring(1, name.length() - 1).chars()
            .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
      }
      return name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.');
    }
  }
}
