package io.kosmos.samples.zeus;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.samples.support.SampleSettings;
import io.kosmos.samples.support.WebSampleContract;

class ZeusServletTest extends WebSampleContract {

  @Override
  protected String agent() {
    return "zeus";
  }

  @Override
  protected Running start(SampleSettings settings, KosmosMetrics metrics) throws Exception {
    ZeusServlet zeus = ZeusServlet.start(settings, metrics);
    return new Running() {
      @Override
      public int port() {
        return zeus.port();
      }

      @Override
      public void close() {
        zeus.close();
      }
    };
  }
}
