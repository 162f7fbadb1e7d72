package io.kosmos.samples.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

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
    SpringApplication.run(GatewayApplication.class, args);
  }
}
