package io.kosmos.samples.athena;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.samples.support.SampleSettings;
import io.kosmos.samples.support.WebSampleContract;

class AthenaVertxTest extends WebSampleContract {

  @Override
  protected String agent() {
    return "athena";
  }

  @Override
  protected Running start(SampleSettings settings, KosmosMetrics metrics) throws Exception {
    AthenaVertx athena = AthenaVertx.start(settings, metrics);
    return new Running() {
      @Override
      public int port() {
        return athena.port();
      }

      @Override
      public void close() {
        athena.close();
      }
    };
  }
}
