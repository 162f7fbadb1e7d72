package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The relabelling of the shipped Kubernetes configuration, run by a real Prometheus. Debian's
 * Prometheus has no Kubernetes discovery, so the test feeds it, through file discovery, the targets
 * and {@code __meta_kubernetes_*} labels that Kubernetes discovery would attach to the pods of
 * {@code deploy/kubernetes/} (two replicas per Deployment) and the Services selecting them; the
 * jobs' {@code relabel_configs} are those of the shipped ConfigMap, untouched. {@code
 * /api/v1/targets} then shows what Prometheus would scrape in the cluster.
 */
class KubernetesRelabellingTest {

  /** A workload in kosmos-core that is not part of KOSMOS: neither job may scrape it. */
  private static final String OTHER_WORKLOAD =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: redis
        namespace: kosmos-core
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: redis
        template:
          metadata:
            labels:
              app: redis
          spec:
            containers:
              - name: redis
                image: redis:7
                ports:
                  - name: redis
                    containerPort: 6379
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: redis
        namespace: kosmos-core
      spec:
        selector:
          app: redis
        ports:
          - name: redis
            port: 6379
            targetPort: redis
      """;

  private static final Map<String, Integer> AGENT_PORTS =
      Map.of("zeus", 8000, "athena", 8001, "hermes", 8002, "gateway", 8080);

  @Test
  void oneTargetPerAgentPodWithPathPortAndLabelsFromTheManifests(@TempDir Path workDir)
      throws Exception {
    Binaries.find("prometheus");
    List<HasMetadata> manifests = new ArrayList<>(KubernetesManifests.loadAll());
    manifests.addAll(KubernetesManifests.load(OTHER_WORKLOAD));
    List<Deployment> deployments = KubernetesManifests.all(manifests, Deployment.class);
    List<KubernetesDiscovery.Pod> pods = KubernetesDiscovery.pods(deployments);

    ObjectNode shipped = KubernetesManifests.prometheusConfig(manifests);
    ObjectNode config = KubernetesManifests.withFileDiscovery(shipped, workDir);
    config.remove("rule_files");
    config.remove("alerting");
    // Targets are listed, never scraped during the test: the pod IPs are made up.
    ((ObjectNode) config.path("global")).put("scrape_interval", "1h");
    // Only the two jobs that discover pods; their relabel_configs stay the shipped ones.
    ArrayNode jobs = config.putArray("scrape_configs");
    for (tools.jackson.databind.JsonNode job :
        KubernetesManifests.withFileDiscovery(shipped, workDir).path("scrape_configs")) {
      String name = job.path("job_name").asString();
      if (name.equals("kosmos-agents") || name.equals("kubernetes-pods")) {
        jobs.add(job);
      }
    }
    Set<String> agentNamespaces =
        shipped
            .path("scrape_configs")
            .valueStream()
            .filter(job -> job.path("job_name").asString().equals("kosmos-agents"))
            .flatMap(
                job ->
                    job.path("kubernetes_sd_configs")
                        .get(0)
                        .path("namespaces")
                        .path("names")
                        .valueStream())
            .map(tools.jackson.databind.JsonNode::asString)
            .collect(Collectors.toSet());
    assertThat(agentNamespaces).containsExactly("kosmos-core");

    List<Service> agentServices =
        KubernetesManifests.all(manifests, Service.class).stream()
            .filter(s -> agentNamespaces.contains(s.getMetadata().getNamespace()))
            .toList();
    JsonMapper json = JsonMapper.builder().build();
    Files.writeString(
        workDir.resolve("kosmos-agents.json"),
        json.writeValueAsString(
            KubernetesDiscovery.fileSd(
                KubernetesDiscovery.endpointSliceRole(agentServices, pods))));
    Files.writeString(
        workDir.resolve("kubernetes-pods.json"),
        json.writeValueAsString(KubernetesDiscovery.fileSd(KubernetesDiscovery.podRole(pods))));

    // The relabel_configs Prometheus runs are the shipped ones, byte for byte.
    for (tools.jackson.databind.JsonNode job : jobs) {
      tools.jackson.databind.JsonNode original =
          shipped
              .path("scrape_configs")
              .valueStream()
              .filter(j -> j.path("job_name").equals(job.path("job_name")))
              .findFirst()
              .orElseThrow();
      assertThat(job.path("relabel_configs")).isEqualTo(original.path("relabel_configs"));
    }

    try (PrometheusProcess prometheus =
        PrometheusProcess.start(workDir, KubernetesManifests.YAML.writeValueAsString(config))) {
      int agentPods =
          deployments.stream()
              .filter(d -> AGENT_PORTS.containsKey(d.getMetadata().getName()))
              .mapToInt(d -> d.getSpec().getReplicas())
              .sum();
      assertThat(agentPods).isEqualTo(8);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () ->
                  assertThat(active(prometheus, "kosmos-agents"))
                      .as(prometheus.log())
                      .hasSize(agentPods));

      List<JsonNode> agents = active(prometheus, "kosmos-agents");
      Map<String, List<String>> podsByService = new TreeMap<>();
      for (JsonNode target : agents) {
        Map<String, String> labels = labels(target.path("labels"));
        String service = labels.get("service");
        assertThat(AGENT_PORTS).containsKey(service);
        KubernetesDiscovery.Pod pod =
            pods.stream()
                .filter(p -> p.name().equals(labels.get("kubernetes_pod_name")))
                .findFirst()
                .orElseThrow();
        String address = pod.ip() + ":" + AGENT_PORTS.get(service);
        assertThat(labels)
            .containsExactlyInAnyOrderEntriesOf(
                Map.of(
                    "job",
                    "kosmos-agents",
                    "instance",
                    address,
                    "service",
                    service,
                    "component",
                    service.equals("gateway") ? "gateway" : "agent",
                    "kubernetes_namespace",
                    "kosmos-core",
                    "kubernetes_pod_name",
                    pod.name()));
        // __metrics_path__ and the port come from the pod's prometheus.io annotations.
        assertThat(target.path("scrapeUrl").asText()).isEqualTo("http://" + address + "/metrics");
        assertThat(target.path("discoveredLabels").path("__meta_kubernetes_service_name").asText())
            .isEqualTo(service);
        podsByService.computeIfAbsent(service, s -> new ArrayList<>()).add(pod.name());
      }
      // One target per pod: every pod of every agent, each once.
      for (String service : AGENT_PORTS.keySet()) {
        assertThat(podsByService.get(service))
            .as(service)
            .containsExactlyInAnyOrderElementsOf(
                pods.stream()
                    .filter(p -> p.owner().getMetadata().getName().equals(service))
                    .map(KubernetesDiscovery.Pod::name)
                    .toList());
      }

      // kubernetes-pods keeps the annotated postgres-exporter and leaves the agents to
      // kosmos-agents, so nothing is scraped twice; redis is annotated for neither.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(() -> assertThat(active(prometheus, "kubernetes-pods")).hasSize(1));
      JsonNode exporter = active(prometheus, "kubernetes-pods").get(0);
      KubernetesDiscovery.Pod exporterPod =
          pods.stream()
              .filter(p -> p.owner().getMetadata().getName().equals("postgres-exporter"))
              .findFirst()
              .orElseThrow();
      assertThat(labels(exporter.path("labels")))
          .containsEntry("job", "kubernetes-pods")
          .containsEntry("instance", exporterPod.ip() + ":9187")
          .containsEntry("app", "postgres-exporter")
          .containsEntry("kubernetes_namespace", "kosmos-db")
          .containsEntry("kubernetes_pod_name", exporterPod.name());
      assertThat(exporter.path("scrapeUrl").asText())
          .isEqualTo("http://" + exporterPod.ip() + ":9187/metrics");
      List<String> dropped = new ArrayList<>();
      for (JsonNode target : prometheus.targets().path("data").path("droppedTargets")) {
        dropped.add(
            target.path("discoveredLabels").path("job").asText()
                + "/"
                + target.path("discoveredLabels").path("__meta_kubernetes_pod_name").asText());
      }
      assertThat(dropped)
          .anyMatch(d -> d.startsWith("kosmos-agents/redis-"))
          .anyMatch(d -> d.startsWith("kubernetes-pods/redis-"))
          .anyMatch(d -> d.startsWith("kubernetes-pods/zeus-"));
    }
  }

  private static List<JsonNode> active(PrometheusProcess prometheus, String job) throws Exception {
    List<JsonNode> targets = new ArrayList<>();
    for (JsonNode target : prometheus.targets().path("data").path("activeTargets")) {
      if (job.equals(target.path("labels").path("job").asText())) {
        targets.add(target);
      }
    }
    return targets;
  }

  private static Map<String, String> labels(JsonNode labels) {
    Map<String, String> result = new LinkedHashMap<>();
    labels.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }
}
