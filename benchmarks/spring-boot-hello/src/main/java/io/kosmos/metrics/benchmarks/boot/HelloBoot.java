package io.kosmos.metrics.benchmarks.boot;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot 3.5 (Tomcat) hello world, {@code GET /hello/{name}} answering {@code hello}, in one
 * of three ways; {@code http-overhead.sh} drives it with {@code wrk}. Prints {@code port=<port>}
 * once listening on loopback, then serves until killed.
 *
 * <pre>{@code
 * java -jar benchmarks/spring-boot-hello/target/spring-boot-hello.jar kosmos
 * }</pre>
 *
 * <ul>
 *   <li>{@code bare}: Boot's web observation filter ({@code WebMvcObservationAutoConfiguration})
 *       excluded and {@code kosmos.metrics.enabled=false}: nothing runs per request but Spring MVC.
 *   <li>{@code boot}: Boot's own {@code http.server.requests} observation (actuator and
 *       micrometer-registry-prometheus, defaults), scraped on {@code /actuator/prometheus}; {@code
 *       kosmos.metrics.enabled=false}.
 *   <li>{@code kosmos}: the kosmos starter with {@code kosmos.metrics.agent=bench}, scraped on
 *       {@code /metrics}; Boot's web observation filter excluded.
 * </ul>
 *
 * <p>Actuator and Micrometer are on the classpath in all three ways, so the jar is the same; only
 * the per-request instrumentation differs. An optional second argument sets the port (default 0).
 */
@SpringBootApplication
public class HelloBoot {

  private static final String WEB_OBSERVATION =
      "org.springframework.boot.actuate.autoconfigure.observation.web.servlet."
          + "WebMvcObservationAutoConfiguration";

  public static void main(String[] args) {
    if (args.length < 1
        || !(args[0].equals("bare") || args[0].equals("boot") || args[0].equals("kosmos"))) {
      System.err.println("usage: HelloBoot bare|boot|kosmos [port]");
      System.exit(2);
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", args.length > 1 ? args[1] : "0");
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.jmx.enabled", "false");
    properties.put("logging.level.root", "warn");
    switch (args[0]) {
      case "bare" -> {
        properties.put("spring.autoconfigure.exclude", WEB_OBSERVATION);
        properties.put("kosmos.metrics.enabled", "false");
      }
      case "boot" -> {
        properties.put("kosmos.metrics.enabled", "false");
        properties.put("management.endpoints.web.exposure.include", "prometheus");
      }
      default -> {
        properties.put("spring.autoconfigure.exclude", WEB_OBSERVATION);
        properties.put("kosmos.metrics.agent", "bench");
      }
    }
    SpringApplication application = new SpringApplication(HelloBoot.class);
    application.setDefaultProperties(properties);
    application.run();
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> printPort() {
    return event -> {
      System.out.println("port=" + event.getWebServer().getPort());
      System.out.flush();
    };
  }

  /** The hello-world controller. */
  @RestController
  static class Hello {
    @GetMapping("/hello/{name}")
    String hello(@PathVariable("name") String name) {
      return "hello\n";
    }
  }
}
