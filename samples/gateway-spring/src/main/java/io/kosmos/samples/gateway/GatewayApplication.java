package io.kosmos.samples.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The KOSMOS API gateway of the ops guide: forwards {@code /{agent}/...} to zeus, athena or hermes.
 * Its metrics come from kosmos-metrics-spring-boot-starter and one property.
 *
 * <pre>{@code
 * java -jar samples/gateway-spring/target/gateway-spring.jar
 * curl http://127.0.0.1:8080/zeus/tasks/42
 * curl http://127.0.0.1:8080/metrics
 * }</pre>
 */
@SpringBootApplication(proxyBeanMethods = false)
public class GatewayApplication {

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(GatewayApplication.class);
    application.addListeners(new PortAnnouncement());
    application.run(args);
  }

  /**
   * Prints the port the server bound, in the line every sample prints: with {@code PORT=0} it is
   * how a caller (the end-to-end test, a script) learns where the gateway listens.
   */
  static final class PortAnnouncement implements ApplicationListener<WebServerInitializedEvent> {
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
      int port = event.getWebServer().getPort();
      String address =
          event.getApplicationContext().getEnvironment().getProperty("server.address", "0.0.0.0");
      System.out.printf(
          "agent gateway on port %d (Spring Boot): metrics at http://%s:%d/metrics%n",
          port, address, port);
    }
  }
}
