package io.kosmos.metrics.rules;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@code deploy/kubernetes/*.yaml} into fabric8's Kubernetes API model with every unknown
 * field rejected. fabric8's model classes collect unknown fields in an {@code @JsonAnySetter} map,
 * so that {@code FAIL_ON_UNKNOWN_PROPERTIES} alone would never fire; here the any-setter is
 * switched off, so a misspelt or misplaced field (an {@code args} under the pod spec, {@code
 * replica:}) fails with Jackson's message naming the field and the model class. Types are checked
 * by the model too (a port must be a number, a quantity a quantity).
 */
final class KubernetesManifests {

  /** The API version and kind of every manifest this bundle may contain, to its model class. */
  static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "v1/Namespace", Namespace.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "apps/v1/Deployment", Deployment.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
          "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class,
          "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

  /** The roles Prometheus's kubernetes_sd_configs knows, and the keys this bundle uses. */
  static final Set<String> SD_ROLES =
      Set.of("node", "service", "pod", "endpoints", "endpointslice", "ingress");

  static final YAMLMapper STRICT =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .annotationIntrospector(
              new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                  return Boolean.FALSE;
                }
              })
          .build();

  static final YAMLMapper YAML = YAMLMapper.builder().build();

  private KubernetesManifests() {}

  static Path dir() {
    return Binaries.repository().resolve("deploy").resolve("kubernetes");
  }

  /** Every manifest of every {@code *.yaml} file of {@code deploy/kubernetes}, in file order. */
  static List<HasMetadata> loadAll() throws IOException {
    List<HasMetadata> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try {
          all.addAll(load(Files.readString(file)));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
        }
      }
    }
    return all;
  }

  /** The manifests of one multi-document YAML text, each read strictly into its model class. */
  static List<HasMetadata> load(String yaml) {
    List<HasMetadata> resources = new ArrayList<>();
    for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
      if (document == null || document.isNull() || document.isMissingNode()) {
        continue;
      }
      String key = document.path("apiVersion").asString() + "/" + document.path("kind").asString();
      Class<? extends HasMetadata> type = KINDS.get(key);
      if (type == null) {
        throw new IllegalArgumentException(
            "apiVersion/kind must be one of " + KINDS.keySet() + ", but was " + key);
      }
      resources.add(STRICT.treeToValue(document, type));
    }
    return resources;
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
    List<T> matches =
        all(resources, type).stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
    if (matches.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " named " + name + ", found " + matches.size());
    }
    return matches.get(0);
  }

  /** The prometheus.yml of ConfigMap prometheus-config, parsed. */
  static ObjectNode prometheusConfig(List<HasMetadata> resources) {
    String yaml =
        one(resources, ConfigMap.class, "prometheus-config").getData().get("prometheus.yml");
    return (ObjectNode) YAML.readTree(yaml);
  }

  /**
   * The Kubernetes configuration made runnable by Debian's Prometheus, which is built without
   * Kubernetes discovery: each {@code kubernetes_sd_configs} (checked first: a known role, only
   * {@code role} and {@code namespaces.names}) becomes a {@code file_sd_configs} reading {@code
   * <job>.json} in {@code workDir}; everything else, relabelling included, is left as shipped.
   * Service-account files and rule files point into {@code workDir}.
   */
  static ObjectNode withFileDiscovery(ObjectNode config, Path workDir) {
    ObjectNode copy = config.deepCopy();
    for (JsonNode job : copy.path("scrape_configs")) {
      ObjectNode scrape = (ObjectNode) job;
      JsonNode kubernetes = scrape.remove("kubernetes_sd_configs");
      if (kubernetes != null) {
        for (JsonNode sd : kubernetes) {
          checkKubernetesSd(scrape.path("job_name").asString(), sd);
        }
        ArrayNode fileSd = scrape.putArray("file_sd_configs");
        fileSd
            .addObject()
            .putArray("files")
            .add(workDir.resolve(scrape.path("job_name").asString() + ".json").toString());
      }
    }
    String text =
        YAML.writeValueAsString(copy)
            .replace(
                "/var/run/secrets/kubernetes.io/serviceaccount/",
                workDir.resolve("serviceaccount") + "/")
            .replace("/etc/prometheus/rules/", workDir.resolve("rules") + "/");
    return (ObjectNode) YAML.readTree(text);
  }

  private static void checkKubernetesSd(String job, JsonNode sd) {
    Set<String> keys = new java.util.TreeSet<>(sd.propertyNames());
    if (!Set.of("role", "namespaces").containsAll(keys)) {
      throw new AssertionError(
          job + ": kubernetes_sd_configs keys must be role, namespaces: " + keys);
    }
    if (!SD_ROLES.contains(sd.path("role").asString())) {
      throw new AssertionError(job + ": role must be one of " + SD_ROLES + ": " + sd);
    }
    JsonNode namespaces = sd.path("namespaces");
    if (!namespaces.isMissingNode()) {
      if (!Set.of("names").equals(new java.util.TreeSet<>(namespaces.propertyNames()))
          || !namespaces.path("names").isArray()
          || namespaces.path("names").isEmpty()) {
        throw new AssertionError(job + ": namespaces must be {names: [...]}: " + namespaces);
      }
    }
  }
}
