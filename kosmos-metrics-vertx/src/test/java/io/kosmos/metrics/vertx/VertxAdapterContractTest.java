package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.testsupport.HttpAdapterContract;

/** The shared HTTP adapter contract, against a real Vert.x 5 server on port 0. */
class VertxAdapterContractTest extends HttpAdapterContract {

  @Override
  protected App start(KosmosMetrics metrics) throws Exception {
    return VertxApp.start(metrics);
  }
}
