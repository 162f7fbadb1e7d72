package io.kosmos.metrics.openai;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.kosmos.metrics.llm.ErrorType;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.Usage;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed completion that reports to its {@link LlmCall} as the application reads it: first
 * token, usage, the end of the stream, and closing.
 */
final class TrackedChunks implements StreamResponse<ChatCompletionChunk> {

  private final StreamResponse<ChatCompletionChunk> delegate;
  private final LlmCall call;
  private volatile boolean completed;

  TrackedChunks(StreamResponse<ChatCompletionChunk> delegate, LlmCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public Stream<ChatCompletionChunk> stream() {
    Iterator<ChatCompletionChunk> chunks;
    try {
      chunks = delegate.stream().iterator();
    } catch (RuntimeException e) {
      call.failed(e);
      call.close();
      throw e;
    }
    return StreamSupport.stream(new Chunks(chunks), false);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      if (!completed) {
        // Abandoned before its end: an error even if a usage was already reported, which is
        // still recorded (the provider bills what it produced).
        call.failed(ErrorType.OTHER);
      }
      call.close();
    }
  }

  private final class Chunks extends Spliterators.AbstractSpliterator<ChatCompletionChunk> {
    private final Iterator<ChatCompletionChunk> chunks;

    Chunks(Iterator<ChatCompletionChunk> chunks) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.chunks = chunks;
    }

    @Override
    public boolean tryAdvance(Consumer<? super ChatCompletionChunk> action) {
      ChatCompletionChunk chunk;
      try {
        if (!chunks.hasNext()) {
          // The end of the stream: a success, with or without a usage chunk.
          completed = true;
          call.success();
          call.close();
          return false;
        }
        chunk = chunks.next();
      } catch (RuntimeException e) {
        call.failed(e);
        call.close();
        throw e;
      }
      observe(chunk);
      action.accept(chunk);
      return true;
    }
  }

  private void observe(ChatCompletionChunk chunk) {
    try {
      Usage usage = OpenAiUsage.of(chunk);
      if (usage != null) {
        call.usage(usage);
      }
      List<ChatCompletionChunk.Choice> choices = chunk.choices();
      for (int i = 0; i < choices.size(); i++) {
        ChatCompletionChunk.Choice.Delta delta = choices.get(i).delta();
        if (!delta.content().orElse("").isEmpty()
            || !delta.refusal().orElse("").isEmpty()
            || delta.toolCalls().map(calls -> !calls.isEmpty()).orElse(false)) {
          call.firstToken();
          return;
        }
      }
    } catch (RuntimeException e) {
      // A chunk the SDK cannot read is the application's concern when it reads it; the
      // tracking just skips it.
    }
  }
}
