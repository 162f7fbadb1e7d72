package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A parsed Prometheus text exposition (version 0.0.4), for asserting on what a scrape returns.
 * Shared with the adapter modules' tests through core's test-jar.
 */
public final class Exposition {

  /** One metric family: its name as written in {@code # TYPE}, type, help and samples. */
  public record Family(String name, String type, String help, List<Sample> samples) {

    /** The label names of the family's samples, without {@code le}. */
    public Set<String> labelNames() {
      Set<String> names = new TreeSet<>();
      samples.forEach(s -> names.addAll(s.labels().keySet()));
      names.remove("le");
      return names;
    }
  }

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final Map<String, Family> families;
  private final List<Sample> samples;

  private Exposition(String text, Map<String, Family> families, List<Sample> samples) {
    this.text = text;
    this.families = families;
    this.samples = samples;
  }

  /** Scrapes {@code registry} in the Prometheus text format. */
  public static Exposition scrape(PrometheusRegistry registry) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return parse(out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first exposition {@code scrape} returns that finds no request of {@code agent} in flight,
   * polled for up to 10 s. Adapters record a request when its exchange completes, and a server may
   * send the last bytes of a response (e.g. when the declared content length is reached, or before
   * async completion listeners run) just before that: waiting for {@code active_connections} to
   * reach 0 makes every request the client has seen countable, and fails (by timeout) an adapter
   * that leaks one. {@code scrape} returns the exposition's text and may assert on the response.
   */
  public static Exposition settled(Callable<String> scrape, String agent) {
    AtomicReference<Exposition> settled = new AtomicReference<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(
            () -> {
              Exposition exposition = parse(scrape.call());
              assertThat(exposition.value("active_connections", "agent", agent))
                  .as("active_connections while scraping")
                  .isZero();
              settled.set(exposition);
            });
    return settled.get();
  }

  /** Parses a Prometheus text exposition; fails the test on a malformed line. */
  public static Exposition parse(String text) {
    Map<String, String> help = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# HELP ")) {
        String[] parts = line.substring(7).split(" ", 2);
        help.put(parts[0], parts.length > 1 ? parts[1] : "");
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ", 2);
        types.put(parts[0], parts[1]);
      } else if (!line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
    Map<String, Family> families = new LinkedHashMap<>();
    types.forEach(
        (name, type) -> {
          List<Sample> own = new ArrayList<>();
          for (Sample s : samples) {
            if (belongsTo(s.name(), name, type)) {
              own.add(s);
            }
          }
          families.put(name, new Family(name, type, help.getOrDefault(name, ""), own));
        });
    return new Exposition(text, families, samples);
  }

  private static boolean belongsTo(String sample, String family, String type) {
    if (sample.equals(family)) {
      return true;
    }
    if (type.equals("histogram")) {
      return sample.equals(family + "_bucket")
          || sample.equals(family + "_count")
          || sample.equals(family + "_sum");
    }
    return false;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      rest = i + 2;
    } else {
      name = line.substring(0, space);
      rest = space + 1;
    }
    String value = line.substring(rest).split(" ")[0];
    return new Sample(name, labels, parseValue(value));
  }

  private static double parseValue(String value) {
    switch (value) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(value);
    }
  }

  /** The raw text. */
  public String text() {
    return text;
  }

  /** The family named as in its {@code # TYPE} line; fails the test when absent. */
  public Family family(String name) {
    assertThat(families).as("families in the scrape").containsKey(name);
    return families.get(name);
  }

  /** Whether a {@code # TYPE} line names {@code name}. */
  public boolean has(String name) {
    return families.containsKey(name);
  }

  /** Every sample named {@code name}. */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /**
   * The value of the one sample named {@code name} whose labels include {@code labelPairs} (name,
   * value, name, value, ...); 0 when there is none, as Prometheus would treat a counter not yet
   * created. Fails the test when several match.
   */
  public double value(String name, String... labelPairs) {
    List<Sample> matching = matching(name, labelPairs);
    assertThat(matching).as("samples %s %s", name, List.of(labelPairs)).hasSizeLessThan(2);
    return matching.isEmpty() ? 0 : matching.get(0).value();
  }

  /** The sum over samples named {@code name} whose labels include {@code labelPairs}. */
  public double sum(String name, String... labelPairs) {
    return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  /** Samples named {@code name} whose labels include {@code labelPairs}. */
  public List<Sample> matching(String name, String... labelPairs) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(
            s -> {
              for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                  return false;
                }
              }
              return true;
            })
        .toList();
  }

  /** The distinct values of {@code label} among samples named {@code name}. */
  public Set<String> labelValues(String name, String label) {
    Set<String> values = new TreeSet<>();
    samples(name).stream()
        .map(s -> s.labels().get(label))
        .filter(value -> value != null)
        .forEach(values::add);
    return values;
  }
}
