package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code deploy/kubernetes/}: every manifest read into fabric8's Kubernetes API model with unknown
 * fields rejected, the rules ConfigMap equal to {@code prometheus/rules}, the pieces consistent
 * with each other, and the Prometheus configuration accepted by promtool once its Kubernetes
 * discovery is swapped for file discovery (Debian's Prometheus has no Kubernetes discovery).
 */
class KubernetesManifestsTest {

  private static List<HasMetadata> manifests;

  @BeforeAll
  static void load() throws Exception {
    manifests = KubernetesManifests.loadAll();
  }

  @Test
  void everyManifestIsValidAgainstTheKubernetesModel() {
    Map<String, Integer> kinds = new TreeMap<>();
    manifests.forEach(m -> kinds.merge(m.getKind(), 1, Integer::sum));
    assertThat(kinds)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Namespace", 3,
                "ConfigMap", 2,
                "Service", 6,
                "ServiceAccount", 1,
                "ClusterRole", 1,
                "ClusterRoleBinding", 1,
                "StatefulSet", 1,
                "Deployment", 5,
                "NetworkPolicy", 1));
  }

  @Test
  void unknownOrMisplacedFieldsAreRejected() {
    String deployment =
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            "  name: zeus",
            "spec:",
            "  replica: 2",
            "");
    assertThatThrownBy(() -> KubernetesManifests.load(deployment))
        .hasMessageContaining("Unrecognized property \"replica\"")
        .hasMessageContaining("io.fabric8.kubernetes.api.model.apps.DeploymentSpec");
    String misplaced =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Service",
            "metadata:",
            "  name: zeus",
            "  selector:",
            "    app: zeus",
            "");
    assertThatThrownBy(() -> KubernetesManifests.load(misplaced))
        .hasMessageContaining("Unrecognized property \"selector\"")
        .hasMessageContaining("io.fabric8.kubernetes.api.model.ObjectMeta");
    assertThatThrownBy(
            () ->
                KubernetesManifests.load(
                    "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n"))
        .hasMessageContaining("but was extensions/v1beta1/Ingress");
  }

  @Test
  void theRulesConfigMapHoldsExactlyThePrometheusRuleFiles() throws Exception {
    Map<String, String> data =
        KubernetesManifests.one(manifests, ConfigMap.class, "prometheus-rules").getData();
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> rules = Files.list(Binaries.bundle().resolve("rules"))) {
      for (Path file : rules.toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    assertThat(new TreeMap<>(data))
        .as(
            "deploy/kubernetes/prometheus-rules.yaml differs from prometheus/rules/*.yml: run"
                + " deploy/kubernetes/generate-rules-configmap.sh")
        .isEqualTo(files);
  }

  @Test
  void prometheusIsAStatefulSetNamedForTheOperationsSectionWithoutUnprotectedAdminApi() {
    StatefulSet prometheus = KubernetesManifests.one(manifests, StatefulSet.class, "prometheus");
    assertThat(prometheus.getMetadata().getNamespace()).isEqualTo("kosmos-observability");
    assertThat(prometheus.getSpec().getReplicas()).isEqualTo(1);
    Service governing =
        KubernetesManifests.one(manifests, Service.class, prometheus.getSpec().getServiceName());
    assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");
    Container container = prometheus.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs())
        .contains(
            "--config.file=/etc/prometheus/prometheus.yml",
            "--storage.tsdb.retention.time=15d",
            "--query.max-samples=50000000")
        .noneMatch(arg -> arg.startsWith("--web.enable-admin-api"))
        .noneMatch(arg -> arg.startsWith("--web.enable-lifecycle"));
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/-/healthy");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/-/ready");
    // Storage: a claim per pod, mounted where --storage.tsdb.path points.
    assertThat(prometheus.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            claim -> {
              assertThat(claim.getMetadata().getName()).isEqualTo("storage");
              assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
                  .isEqualTo("50Gi");
            });
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getName() + "=" + m.getMountPath())
        .containsExactlyInAnyOrder(
            "config=/etc/prometheus", "rules=/etc/prometheus/rules", "storage=/prometheus");
    // Every ConfigMap volume names a shipped ConfigMap; the service account exists and is bound.
    for (Volume volume : prometheus.getSpec().getTemplate().getSpec().getVolumes()) {
      KubernetesManifests.one(manifests, ConfigMap.class, volume.getConfigMap().getName());
    }
    String account = prometheus.getSpec().getTemplate().getSpec().getServiceAccountName();
    KubernetesManifests.one(manifests, ServiceAccount.class, account);
    assertThat(
            KubernetesManifests.one(manifests, ClusterRoleBinding.class, "prometheus")
                .getSubjects())
        .anySatisfy(s -> assertThat(s.getName()).isEqualTo(account));
    assertSelects(prometheus.getSpec().getTemplate(), "prometheus", "kosmos-observability");
  }

  @Test
  void rbacGrantsEndpointSlicesAndNothingFromExtensions() {
    List<PolicyRule> rules =
        KubernetesManifests.one(manifests, ClusterRole.class, "prometheus").getRules();
    assertThat(rules)
        .anySatisfy(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("discovery.k8s.io");
              assertThat(r.getResources()).containsExactly("endpointslices");
              assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
            });
    assertThat(rules).allSatisfy(r -> assertThat(r.getApiGroups()).doesNotContain("extensions"));
    assertThat(rules)
        .flatExtracting(r -> r.getResources() == null ? List.of() : r.getResources())
        .contains("pods", "services", "nodes")
        .doesNotContain("nodes/proxy", "ingresses");
  }

  @Test
  void agentsAndGatewayAreAnnotatedForOneTargetPerPod() {
    Map<String, Integer> ports =
        Map.of("zeus", 8000, "athena", 8001, "hermes", 8002, "gateway", 8080);
    for (Map.Entry<String, Integer> agent : ports.entrySet()) {
      Deployment deployment = KubernetesManifests.one(manifests, Deployment.class, agent.getKey());
      assertThat(deployment.getMetadata().getNamespace()).isEqualTo("kosmos-core");
      PodTemplateSpec template = deployment.getSpec().getTemplate();
      assertThat(template.getMetadata().getAnnotations())
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/path", "/metrics")
          .containsEntry("prometheus.io/port", agent.getValue().toString());
      assertThat(template.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/part-of", "kosmos")
          .containsEntry(
              "app.kubernetes.io/component",
              agent.getKey().equals("gateway") ? "gateway" : "agent");
      assertThat(template.getMetadata().getLabels())
          .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
      List<ContainerPort> containerPorts = template.getSpec().getContainers().get(0).getPorts();
      assertThat(containerPorts)
          .extracting(ContainerPort::getContainerPort)
          .containsExactly(agent.getValue());
      Service service = KubernetesManifests.one(manifests, Service.class, agent.getKey());
      assertThat(service.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/part-of", "kosmos");
      assertSelects(template, agent.getKey(), "kosmos-core");
    }
  }

  @Test
  void theKubernetesConfigPassesPromtoolWithFileDiscoveryInPlaceOfKubernetesDiscovery(
      @TempDir Path workDir) throws Exception {
    ObjectNode config = KubernetesManifests.prometheusConfig(manifests);
    List<String> roles = new ArrayList<>();
    for (JsonNode job : config.path("scrape_configs")) {
      for (JsonNode sd : job.path("kubernetes_sd_configs")) {
        roles.add(job.path("job_name").asString() + ":" + sd.path("role").asString());
      }
    }
    assertThat(roles)
        .containsExactly(
            "kubernetes-apiservers:endpointslice",
            "kubernetes-nodes:node",
            "kubernetes-pods:pod",
            "kosmos-agents:endpointslice");
    ObjectNode runnable = KubernetesManifests.withFileDiscovery(config, workDir);
    Files.createDirectories(workDir.resolve("serviceaccount"));
    Files.writeString(workDir.resolve("serviceaccount/ca.crt"), "");
    Files.writeString(workDir.resolve("serviceaccount/token"), "");
    Files.createDirectories(workDir.resolve("rules"));
    for (Map.Entry<String, String> rule :
        KubernetesManifests.one(manifests, ConfigMap.class, "prometheus-rules")
            .getData()
            .entrySet()) {
      Files.writeString(workDir.resolve("rules").resolve(rule.getKey()), rule.getValue());
    }
    for (String job :
        List.of("kubernetes-apiservers", "kubernetes-nodes", "kubernetes-pods", "kosmos-agents")) {
      Files.writeString(workDir.resolve(job + ".json"), "[]");
    }
    Path file = workDir.resolve("prometheus.yml");
    Files.writeString(file, KubernetesManifests.YAML.writeValueAsString(runnable));
    Process process =
        new ProcessBuilder(Binaries.find("promtool").toString(), "check", "config", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("SUCCESS: 4 rule files found")
        .contains("kosmos-infrastructure.yml\n  SUCCESS: 6 rules found");
  }

  /** A Service of that name in that namespace selects the template's pods. */
  private static void assertSelects(PodTemplateSpec template, String service, String namespace) {
    Service selecting = KubernetesManifests.one(manifests, Service.class, service);
    assertThat(selecting.getMetadata().getNamespace()).isEqualTo(namespace);
    assertThat(template.getMetadata().getLabels())
        .containsAllEntriesOf(selecting.getSpec().getSelector());
    for (var port : selecting.getSpec().getPorts()) {
      String target = port.getTargetPort().getStrVal();
      if (target != null) {
        assertThat(template.getSpec().getContainers())
            .flatExtracting(Container::getPorts)
            .extracting(ContainerPort::getName)
            .as("targetPort %s of Service %s", target, service)
            .contains(target);
      }
    }
  }
}
