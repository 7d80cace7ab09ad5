package dev.pmm.mind;

import dev.pmm.ledger.Event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/** The last conversation events, held in memory so a turn never reads them from storage. */
public final class ConversationRing {

  public static final Set<String> KINDS = Set.of("user_message", "assistant_message", "reflection", "user", "response");

  private final int capacity;
  private final Deque<MindContext.Exchange> exchanges = new ArrayDeque<>();

  public ConversationRing(int capacity) {
    this.capacity = capacity;
  }

  public void add(Event event) {
    if (!KINDS.contains(event.kind())) {
      return;
    }
    // The original's October 2025 names: "user" and "response".
    String kind = switch (event.kind()) {
      case "user" -> "user_message";
      case "response" -> "assistant_message";
      default -> event.kind();
    };
    add(new MindContext.Exchange(event.id(), kind, event.content()));
  }

  public void add(MindContext.Exchange exchange) {
    exchanges.addLast(exchange);
    while (exchanges.size() > capacity) {
      exchanges.removeFirst();
    }
  }

  public void clear() {
    exchanges.clear();
  }

  /** Oldest first. */
  public List<MindContext.Exchange> recent() {
    return List.copyOf(new ArrayList<>(exchanges));
  }
}
