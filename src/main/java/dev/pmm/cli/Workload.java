package dev.pmm.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.SplittableRandom;

/**
 * Events shaped like a real mind's ledger, deterministic from a seed and the position alone (so
 * any number of senders can produce them): conversation pairs, reflections, commitments (most
 * closed, some expired), trait updates, a few identity adoptions, autonomy ticks, and kinds the
 * folds ignore.
 */
public final class Workload {

  private static final String[] NAMES = {"Echo", "Ava", "Orion", "Persistent Mind Model Alpha"};
  private static final String[] TRAITS = {"openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"};
  private static final String[] TOPICS = {"the ledger", "memory", "Paris", "commitments", "music", "tests", "identity"};

  private final long seed;

  public Workload(long seed) {
    this.seed = seed;
  }

  /** The append request for event number {@code position} (0-based). */
  public JsonObject event(long position) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + position);
    long slot = position % 50;
    String topic = TOPICS[random.nextInt(TOPICS.length)];
    if (slot == 3) {
      String cid = "c" + position;
      String text = "I will write a note about " + topic + " (" + position + ")";
      return request("commitment_open", "Commitment opened: " + text, new JsonObject().put("cid", cid).put("text", text));
    }
    if (slot == 33 && position % 150 != 33) {
      String cid = "c" + (position - 30);
      return request("commitment_close", "Commitment closed: " + cid,
          new JsonObject().put("cid", cid).put("evidence_type", "done").put("description", "wrote it"));
    }
    if (slot == 33) {
      String cid = "c" + (position - 30);
      return request("commitment_expire", "Commitment expired: " + cid, new JsonObject().put("cid", cid).put("reason", "timeout"));
    }
    if (slot == 9 || slot == 19 || slot == 29 || slot == 39 || slot == 49) {
      return request("autonomy_tick", "autonomy heartbeat", new JsonObject()
          .put("telemetry", new JsonObject().put("IAS", round(random.nextDouble())).put("GAS", round(random.nextDouble())))
          .put("reflect", new JsonObject().put("did", false).put("reason", "min_turns")));
    }
    if (slot == 25) {
      return request("reflection", "Reflecting on " + topic + ": my identity stays steady across turns.", new JsonObject()
          .put("telemetry", new JsonObject().put("IAS", round(random.nextDouble())).put("GAS", round(random.nextDouble()))));
    }
    if (slot == 41) {
      return request("trait_update", "", new JsonObject().put("trait", TRAITS[random.nextInt(TRAITS.length)])
          .put("delta", round(random.nextDouble() * 0.04 - 0.02)).put("reason", "drift"));
    }
    if (position % 2000 == 45) {
      String name = NAMES[random.nextInt(NAMES.length)];
      return request("identity_adopt", name, new JsonObject().put("name", name).put("confidence", 0.95));
    }
    if (slot == 47) {
      return request("llm_latency", "", new JsonObject().put("op", "chat").put("ms", round(random.nextDouble() * 900))
          .put("ok", true).put("tags", new JsonArray().add("offline")));
    }
    if (position % 2 == 0) {
      return request("user_message", "Tell me about " + topic + ", please. (" + position + ")", new JsonObject());
    }
    return request("assistant_message", "Here is what I know about " + topic + ": it matters to how I persist.",
        new JsonObject().put("user_event_id", position));
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static JsonObject request(String kind, String content, JsonObject meta) {
    return new JsonObject().put("kind", kind).put("content", content).put("meta", meta);
  }
}
