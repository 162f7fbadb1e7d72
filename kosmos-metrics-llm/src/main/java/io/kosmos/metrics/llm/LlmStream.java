package io.kosmos.metrics.llm;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The life of a streamed LLM response, for SDK integrations: the application reads the items, the
 * call follows. Read to its end, the call is a success; a read that throws is a failure with that
 * exception; closed before its end, an error ({@link ErrorType#OTHER}) with whatever usage was
 * reported so far, since the provider bills what it produced.
 *
 * <pre>{@code
 * LlmStream<Chunk> tracked = LlmStream.of(call, chunk -> { ... call.usage(..); call.firstToken(); });
 * Stream<Chunk> chunks = tracked.stream(sdkStream.iterator());   // what the application reads
 * // in the SDK stream's close():
 * try { sdkStream.close(); } finally { tracked.close(); }
 * }</pre>
 *
 * @param <T> the SDK's item type (a chunk, an event)
 */
public final class LlmStream<T> {

  private final LlmCall call;
  private final Consumer<? super T> observer;
  private volatile boolean completed;

  private LlmStream(LlmCall call, Consumer<? super T> observer) {
    this.call = call;
    this.observer = observer;
  }

  /**
   * Follows a stream for {@code call}; {@code observer} sees each item before the application and
   * reports usage and the first token to the call. An observer that throws is ignored: a bad item
   * is the application's concern when it reads it.
   */
  public static <T> LlmStream<T> of(LlmCall call, Consumer<? super T> observer) {
    return new LlmStream<>(call, observer);
  }

  /** The items as the application reads them, followed by the call. */
  public Stream<T> stream(Iterator<T> items) {
    return StreamSupport.stream(new Items(items), false);
  }

  /**
   * Records a failure to open the stream; rethrow {@code e} afterwards.
   *
   * @param e what opening the stream threw
   */
  public void failedToOpen(RuntimeException e) {
    call.failed(e);
    call.close();
  }

  /** Call when the SDK's stream is closed: before its end, the call is an error. */
  public void close() {
    if (!completed) {
      call.failed(ErrorType.OTHER);
    }
    call.close();
  }

  private final class Items extends Spliterators.AbstractSpliterator<T> {
    private final Iterator<T> items;

    Items(Iterator<T> items) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.items = items;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      T item;
      try {
        if (!items.hasNext()) {
          // The end of the stream: a success, with or without a usage.
          completed = true;
          call.success();
          call.close();
          return false;
        }
        item = items.next();
      } catch (RuntimeException e) {
        call.failed(e);
        call.close();
        throw e;
      }
      try {
        observer.accept(item);
      } catch (RuntimeException e) {
        // Tracking skips an item it cannot read; the application sees it unchanged.
      }
      action.accept(item);
      return true;
    }
  }
}
