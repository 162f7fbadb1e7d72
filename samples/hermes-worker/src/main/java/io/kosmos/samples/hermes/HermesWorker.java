package io.kosmos.samples.hermes;

import io.kosmos.metrics.core.AgentTask;
import io.kosmos.metrics.core.AgentTasks;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsServer;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.samples.support.ChatService;
import io.kosmos.samples.support.SampleSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sample agent {@code hermes}: a worker with no web framework. Every 200 ms it runs an agent task
 * ({@code summarize} or {@code plan}) with an LLM call inside; a task whose LLM call fails ends as
 * {@code failure}, and one in eleven throws (recorded as {@code error}). Prometheus scrapes it on
 * the standalone {@link MetricsServer}.
 *
 * <pre>{@code
 * PORT=8002 java -jar samples/hermes-worker/target/hermes-worker.jar
 * }</pre>
 */
public final class HermesWorker implements AutoCloseable {

  static final String AGENT = "hermes";
  static final int DEFAULT_PORT = 8002;

  private final MetricsServer server;
  private final ChatService chat;
  private final AgentTasks tasks;
  private final ScheduledExecutorService loop;
  private long taskCount;

  private HermesWorker(MetricsServer server, ChatService chat, AgentTasks tasks) {
    this.server = server;
    this.chat = chat;
    this.tasks = tasks;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "hermes-tasks");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts hermes with the settings of the environment, on the default registry. */
  public static void main(String[] args) throws Exception {
    SampleSettings settings = SampleSettings.fromEnvironment(System.getenv(), DEFAULT_PORT);
    HermesWorker hermes = start(settings, KosmosMetrics.builder().build(), Duration.ofMillis(200));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hermes.close();
                  stopped.countDown();
                },
                "hermes-shutdown"));
    System.out.printf(
        "agent %s on port %d (%s): metrics at http://%s:%d/metrics%n",
        AGENT, hermes.port(), hermes.chat.describe(), settings.bindAddress(), hermes.port());
    stopped.await();
  }

  /**
   * Starts the metrics server and the task loop, one task every {@code every}; {@link #close()}
   * stops both.
   */
  public static HermesWorker start(SampleSettings settings, KosmosMetrics metrics, Duration every)
      throws IOException {
    LlmMetrics llm = LlmMetrics.builder(metrics).pricing(ChatService.pricing(settings)).build();
    ChatService chat = ChatService.start(llm, settings);
    MetricsServer server;
    try {
      server =
          MetricsServer.builder(metrics)
              .port(settings.port())
              .bindAddress(settings.bindAddress())
              .access(settings.metricsAccess())
              .start();
    } catch (IOException | RuntimeException e) {
      chat.close();
      throw e;
    }
    HermesWorker hermes = new HermesWorker(server, chat, metrics.tasks(AGENT));
    hermes.loop.scheduleWithFixedDelay(
        hermes::runOneTask, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return hermes;
  }

  private void runOneTask() {
    long n = ++taskCount;
    String type = n % 2 == 0 ? "summarize" : "plan";
    try (AgentTask task = tasks.start(type)) {
      if (n % 11 == 0) {
        // A bug in the agent: no outcome is set, so the task is recorded as "error".
        throw new IllegalStateException("task " + n + ": planner returned no steps");
      }
      try {
        chat.ask(
            type + " support ticket #" + n + " and list the next steps for the on-call engineer");
        task.success();
      } catch (IOException e) {
        task.failure(); // the LLM call failed (the fake provider's 429): a failed task
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Keep the loop alive: a scheduled task that throws is never run again.
    }
  }

  /** The metrics server's port, useful with {@code PORT=0}. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    chat.close();
  }
}
