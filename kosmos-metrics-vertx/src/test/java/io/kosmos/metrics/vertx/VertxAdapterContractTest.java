package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.testsupport.HttpAdapterHardeningContract;

/** The shared HTTP adapter contract, against a real Vert.x 5 server on port 0. */
@ExpectedLog(
    logger = "io.vertx.ext.web",
    level = "SEVERE",
    contains = "Unhandled exception in router")
class VertxAdapterContractTest extends HttpAdapterHardeningContract {

  @Override
  protected App start(KosmosMetrics metrics) throws Exception {
    return VertxApp.start(metrics);
  }

  @Override
  protected App start(KosmosMetrics metrics, int maxPathEndpoints) throws Exception {
    return VertxApp.start(metrics, maxPathEndpoints);
  }

  @Override
  protected int statusOfARequestAbandonedByItsClient() {
    return KosmosMetricsHandler.CLIENT_CLOSED_REQUEST;
  }
}
