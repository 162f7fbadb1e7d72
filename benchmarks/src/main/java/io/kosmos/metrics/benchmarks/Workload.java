package io.kosmos.metrics.benchmarks;

/**
 * The request mix every HTTP benchmark records: 20 route templates by 6 statuses, visited in a
 * fixed order so that each way of recording sees the same 120 label combinations.
 */
final class Workload {

  static final String AGENT = "zeus";
  static final String METHOD = "GET";
  static final int[] STATUSES = {200, 201, 204, 400, 404, 500};
  static final String[] STATUS_LABELS = {"200", "201", "204", "400", "404", "500"};
  static final String[] ROUTES = new String[20];
  static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static final int COMBINATIONS = ROUTES.length * STATUSES.length;

  static {
    for (int i = 0; i < ROUTES.length; i++) {
      ROUTES[i] = "/api/v1/resource" + i + "/{id}";
    }
  }

  private Workload() {}

  static int route(int request) {
    return request % ROUTES.length;
  }

  static int status(int request) {
    return (request / ROUTES.length) % STATUSES.length;
  }
}
