package io.kosmos.metrics.springai;

import io.kosmos.metrics.llm.LlmMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application as a user would have it: Spring AI's OpenAI starter pointed at the fake
 * provider, kosmos-metrics-spring-ai on the class path, and its own {@link LlmMetrics} bean.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SpringAiApps {

  static ConfigurableApplicationContext start(
      String baseUrl, @Nullable LlmMetrics llm, Duration timeout, String... properties) {
    List<String> all = new ArrayList<>();
    all.add("spring.ai.openai.base-url=" + baseUrl);
    all.add("spring.ai.openai.api-key=sk-fake");
    all.add("spring.ai.openai.chat.options.model=gpt-4o-mini");
    all.add("spring.ai.retry.max-attempts=1");
    all.add("spring.http.client.read-timeout=" + timeout.toMillis() + "ms");
    all.add("spring.http.client.connect-timeout=" + timeout.toMillis() + "ms");
    all.add("spring.main.banner-mode=off");
    all.add("spring.main.log-startup-info=false");
    // The provider errors and timeouts are what these tests provoke, and they assert how each is
    // classified; Spring AI's retry listener would print each one with its stack trace as a WARN.
    all.add("logging.level.org.springframework.ai.retry.autoconfigure=ERROR");
    all.addAll(List.of(properties));
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(SpringAiApps.class)
            .web(WebApplicationType.NONE)
            .properties(all.toArray(String[]::new));
    if (llm != null) {
      builder.initializers(context -> context.getBeanFactory().registerSingleton("llm", llm));
    }
    return builder.run();
  }
}
