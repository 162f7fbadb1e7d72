package io.kosmos.metrics.spring.boot.tests;

import org.springframework.boot.test.context.SpringBootTest;

/** The app configured by hand as the README shows, with the starter switched off. */
@SpringBootTest(
    classes = Fixtures.HandConfiguredApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "kosmos.metrics.enabled=false",
      "management.endpoints.web.exposure.include=health,prometheus",
      "spring.main.banner-mode=off"
    })
public abstract class HandConfiguredAppContract extends SpringAppContract {

  @Override
  protected boolean sharesActuatorRegistry() {
    return false;
  }
}
