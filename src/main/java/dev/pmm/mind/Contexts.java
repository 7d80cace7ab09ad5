package dev.pmm.mind;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** MindContext from the cached snapshot, the conversation ring and the recalled memories. */
final class Contexts {
  private Contexts() {}

  static MindContext of(JsonObject snapshot, List<MindContext.Exchange> recent, JsonArray recalled, String userText) {
    JsonObject identity = snapshot.getJsonObject("identity");
    Map<String, Double> traits = new LinkedHashMap<>();
    identity.getJsonObject("traits").forEach(e -> traits.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    JsonObject metrics = snapshot.getJsonObject("metrics");
    Object name = identity.getValue("name");
    return new MindContext(name == null ? null : String.valueOf(name), traits, openCommitments(snapshot),
        metrics.getDouble("ias"), metrics.getDouble("gas"), metrics.getString("stage"), snapshot.getLong("ticks"),
        recent, recalled(recalled), userText);
  }

  static List<MindContext.Commitment> openCommitments(JsonObject snapshot) {
    List<MindContext.Commitment> open = new ArrayList<>();
    for (Object o : snapshot.getJsonObject("commitments").getJsonArray("open")) {
      JsonObject c = (JsonObject) o;
      open.add(new MindContext.Commitment(String.valueOf(c.getValue("cid")), String.valueOf(c.getValue("text")),
          c.getLong("opened_tick")));
    }
    return open;
  }

  private static List<MindContext.Recalled> recalled(JsonArray items) {
    List<MindContext.Recalled> out = new ArrayList<>();
    if (items != null) {
      for (Object o : items) {
        JsonObject r = (JsonObject) o;
        out.add(new MindContext.Recalled(r.getLong("event_id"), r.getString("kind"), r.getString("text"), r.getDouble("score")));
      }
    }
    return out;
  }
}
