package dev.pmm.memory;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * all-MiniLM-L6-v2 in process through ONNX Runtime; the model and its tokenizer ship inside the
 * langchain4j jar, so nothing is downloaded. The model loads once, on first use (about 90 MB, a
 * second or so); {@link #load()} forces that so a failure shows at start-up rather than mid-turn.
 * Thread-safe: ONNX Runtime sessions and the tokenizer allow concurrent calls.
 */
public final class MiniLmEmbedder implements Embedder {

  public static final String MODEL_ID = "all-minilm-l6-v2";
  public static final int DIMENSIONS = 384;

  private volatile EmbeddingModel model;

  /** Loads the model if it is not loaded yet; blocking. */
  public MiniLmEmbedder load() {
    model();
    return this;
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        m = model;
        if (m == null) {
          // The model class loads its ONNX file through the context class loader; a worker thread's
          // may be unset, so ours is the one that can see the jar.
          Thread thread = Thread.currentThread();
          ClassLoader previous = thread.getContextClassLoader();
          thread.setContextClassLoader(MiniLmEmbedder.class.getClassLoader());
          try {
            // Runnable::run: one text at a time runs on the calling thread, no pool of the library's own.
            m = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
          } finally {
            thread.setContextClassLoader(previous);
          }
          model = m;
        }
      }
    }
    return m;
  }

  @Override
  public float[] embed(String text) {
    return model().embed(text).content().vector();
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }
}
