package io.kosmos.metrics.rules;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The targets, with their {@code __meta_kubernetes_*} labels, that Prometheus's Kubernetes
 * discovery (discovery/kubernetes/pod.go and endpointslice.go of prometheus/prometheus) attaches to
 * the pods of the given Deployments and the Services that select them, as if each Deployment ran
 * its replicas on a cluster. Written as file_sd target groups, they let Debian's Prometheus, which
 * has no Kubernetes discovery, run the shipped relabelling on them.
 */
final class KubernetesDiscovery {

  /** One simulated pod of a Deployment. */
  record Pod(Deployment owner, String name, String ip, String node, Map<String, String> meta) {}

  /** One discovered target: its address and labels. */
  record Target(String address, Map<String, String> labels) {}

  private static final String POD = "__meta_kubernetes_pod_";
  private static final String SLICE = "__meta_kubernetes_endpointslice_";

  private KubernetesDiscovery() {}

  /** The pods that {@code deployments} create: {@code replicas} each, with distinct IPs. */
  static List<Pod> pods(List<Deployment> deployments) {
    List<Pod> pods = new ArrayList<>();
    int subnet = 1;
    for (Deployment deployment : deployments) {
      String hash = Integer.toHexString(deployment.getMetadata().getName().hashCode() & 0xfffffff);
      int replicas =
          deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
      for (int i = 0; i < replicas; i++) {
        String name =
            deployment.getMetadata().getName() + "-" + hash + "-" + "abcdefghij".charAt(i) + "x7q";
        String ip = "10.42." + subnet + "." + (10 + i);
        String node = "k3s-node-" + (i + 1);
        ObjectMeta template = deployment.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(template.getLabels());
        labels.put("pod-template-hash", hash);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("__meta_kubernetes_namespace", deployment.getMetadata().getNamespace());
        meta.put(POD + "name", name);
        meta.put(POD + "ip", ip);
        meta.put(POD + "ready", "true");
        meta.put(POD + "phase", "Running");
        meta.put(POD + "node_name", node);
        meta.put(POD + "host_ip", "192.168.10." + (11 + i));
        meta.put(POD + "uid", UUID.nameUUIDFromBytes(name.getBytes()).toString());
        meta.put(POD + "controller_kind", "ReplicaSet");
        meta.put(POD + "controller_name", deployment.getMetadata().getName() + "-" + hash);
        putAll(meta, POD + "label_", POD + "labelpresent_", labels);
        putAll(
            meta,
            POD + "annotation_",
            POD + "annotationpresent_",
            template.getAnnotations() == null ? Map.of() : template.getAnnotations());
        pods.add(new Pod(deployment, name, ip, node, meta));
      }
      subnet++;
    }
    return pods;
  }

  /** {@code role: pod}: one target per declared container port, or one per portless container. */
  static List<Target> podRole(List<Pod> pods) {
    List<Target> targets = new ArrayList<>();
    for (Pod pod : pods) {
      for (Container container : containers(pod)) {
        if (container.getPorts() == null || container.getPorts().isEmpty()) {
          Map<String, String> labels = new LinkedHashMap<>(pod.meta());
          labels.putAll(containerLabels(container, null));
          targets.add(new Target(pod.ip(), labels));
          continue;
        }
        for (ContainerPort port : container.getPorts()) {
          Map<String, String> labels = new LinkedHashMap<>(pod.meta());
          labels.putAll(containerLabels(container, port));
          targets.add(new Target(pod.ip() + ":" + port.getContainerPort(), labels));
        }
      }
    }
    return targets;
  }

  /**
   * {@code role: endpointslice}: for each Service, one target per selected pod and Service port,
   * with the slice's, the Service's and the pod's labels, plus one per container port no Service
   * port covers.
   */
  static List<Target> endpointSliceRole(List<Service> services, List<Pod> pods) {
    List<Target> targets = new ArrayList<>();
    for (Service service : services) {
      String namespace = service.getMetadata().getNamespace();
      String serviceName = service.getMetadata().getName();
      Map<String, String> group = new LinkedHashMap<>();
      group.put("__meta_kubernetes_namespace", namespace);
      group.put(SLICE + "name", serviceName + "-8kq2v");
      group.put(SLICE + "address_type", "IPv4");
      putAll(
          group,
          SLICE + "label_",
          SLICE + "labelpresent_",
          Map.of(
              "kubernetes.io/service-name",
              serviceName,
              "endpointslice.kubernetes.io/managed-by",
              "endpointslice-controller.k8s.io"));
      group.put("__meta_kubernetes_service_name", serviceName);
      putAll(
          group,
          "__meta_kubernetes_service_label_",
          "__meta_kubernetes_service_labelpresent_",
          service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels());
      putAll(
          group,
          "__meta_kubernetes_service_annotation_",
          "__meta_kubernetes_service_annotationpresent_",
          service.getMetadata().getAnnotations() == null
              ? Map.of()
              : service.getMetadata().getAnnotations());
      for (Pod pod : pods) {
        if (!namespace.equals(pod.owner().getMetadata().getNamespace()) || !selects(service, pod)) {
          continue;
        }
        List<Integer> covered = new ArrayList<>();
        for (ServicePort servicePort : service.getSpec().getPorts()) {
          ContainerPort containerPort = resolve(pod, servicePort.getTargetPort());
          int port = containerPort.getContainerPort();
          covered.add(port);
          Map<String, String> labels = new LinkedHashMap<>(group);
          if (servicePort.getName() != null) {
            labels.put(SLICE + "port_name", servicePort.getName());
          }
          labels.put(SLICE + "port_protocol", "TCP");
          labels.put(SLICE + "port", Integer.toString(port));
          labels.put(SLICE + "endpoint_conditions_ready", "true");
          labels.put(SLICE + "endpoint_conditions_serving", "true");
          labels.put(SLICE + "endpoint_conditions_terminating", "false");
          labels.put(SLICE + "address_target_kind", "Pod");
          labels.put(SLICE + "address_target_name", pod.name());
          labels.put(SLICE + "endpoint_topology_kubernetes_io_hostname", pod.node());
          labels.put(SLICE + "endpoint_topology_present_kubernetes_io_hostname", "true");
          labels.putAll(pod.meta());
          labels.putAll(containerLabels(containerOf(pod, containerPort), containerPort));
          targets.add(new Target(pod.ip() + ":" + port, labels));
        }
        for (Container container : containers(pod)) {
          for (ContainerPort port : container.getPorts()) {
            if (!covered.contains(port.getContainerPort())) {
              Map<String, String> labels = new LinkedHashMap<>(group);
              labels.putAll(pod.meta());
              labels.putAll(containerLabels(container, port));
              targets.add(new Target(pod.ip() + ":" + port.getContainerPort(), labels));
            }
          }
        }
      }
    }
    return targets;
  }

  /** The file_sd document for {@code targets}: one group per target. */
  static List<Map<String, Object>> fileSd(List<Target> targets) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Target target : targets) {
      groups.add(Map.of("targets", List.of(target.address()), "labels", target.labels()));
    }
    return groups;
  }

  private static boolean selects(Service service, Pod pod) {
    Map<String, String> selector = service.getSpec().getSelector();
    Map<String, String> labels = pod.owner().getSpec().getTemplate().getMetadata().getLabels();
    return selector != null
        && !selector.isEmpty()
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static List<Container> containers(Pod pod) {
    return pod.owner().getSpec().getTemplate().getSpec().getContainers();
  }

  private static ContainerPort resolve(Pod pod, IntOrString targetPort) {
    for (Container container : containers(pod)) {
      for (ContainerPort port : container.getPorts()) {
        if (targetPort.getStrVal() != null
            ? targetPort.getStrVal().equals(port.getName())
            : targetPort.getIntVal().equals(port.getContainerPort())) {
          return port;
        }
      }
    }
    throw new AssertionError("targetPort " + targetPort + " matches no port of " + pod.name());
  }

  private static Container containerOf(Pod pod, ContainerPort port) {
    return containers(pod).stream()
        .filter(c -> c.getPorts() != null && c.getPorts().contains(port))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> containerLabels(Container container, ContainerPort port) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(POD + "container_name", container.getName());
    labels.put(POD + "container_image", container.getImage());
    labels.put(POD + "container_init", "false");
    if (port != null) {
      labels.put(POD + "container_port_name", port.getName() == null ? "" : port.getName());
      labels.put(POD + "container_port_number", Integer.toString(port.getContainerPort()));
      labels.put(POD + "container_port_protocol", "TCP");
    }
    return labels;
  }

  /** Label and presence pairs, names sanitised as Prometheus does (invalid characters to _). */
  private static void putAll(
      Map<String, String> meta,
      String valuePrefix,
      String presentPrefix,
      Map<String, String> from) {
    for (Map.Entry<String, String> entry : from.entrySet()) {
      String name = entry.getKey().replaceAll("[^a-zA-Z0-9_]", "_");
      meta.put(valuePrefix + name, entry.getValue());
      meta.put(presentPrefix + name, "true");
    }
  }
}
