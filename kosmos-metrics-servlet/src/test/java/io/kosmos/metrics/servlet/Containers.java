package io.kosmos.metrics.servlet;

import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.testsupport.HttpAdapterContract;
import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Embedded Jetty 12 (ee11) and Tomcat 11 on port 0, stopped by {@link App#close()}. Each reports
 * every request it passes to its handlers (Jetty) or valves (Tomcat) to {@link
 * HttpAdapterContract#arrived}, before the application's filters see it.
 */
final class Containers {

  private Containers() {}

  /** A Jetty server whose root context is set up by {@code setup}. */
  static App jetty(ServletContainerInitializer setup) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(setup);
    return jetty(context);
  }

  /** A Jetty server serving {@code handler}: a context, or handlers around one. */
  static App jetty(Handler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Wrapper(handler) {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            HttpAdapterContract.arrived(request.getMethod(), request.getHttpURI().getPathQuery());
            return super.handle(request, response, callback);
          }
        });
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return app(URI.create("http://127.0.0.1:" + connector.getLocalPort()), server::stop);
  }

  /**
   * A Tomcat server with a root context set up by {@code setup}, its default servlet on {@code /}
   * (Tomcat runs no filter for a request that no servlet is mapped to).
   */
  static App tomcat(ServletContainerInitializer setup) throws Exception {
    return tomcat(
        (tomcat, docBase) -> {
          Context context = tomcat.addContext("", docBase);
          Tomcat.addServlet(context, "default", new DefaultServlet());
          context.addServletMappingDecoded("/", "default");
          context.addServletContainerInitializer(setup, null);
          return context;
        });
  }

  /** Creates the one context of a Tomcat server. */
  interface TomcatSetup {
    Context addContext(Tomcat tomcat, String docBase) throws Exception;
  }

  /** A Tomcat server with its base directory in a fresh temporary directory under target/. */
  static App tomcat(TomcatSetup setup) throws Exception {
    Path base =
        Files.createTempDirectory(Files.createDirectories(Path.of("target", "tomcat")), "t");
    Path docBase = Files.createDirectories(base.resolve("docroot"));
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toAbsolutePath().toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    // Tomcat closes a keep-alive connection after 100 requests by default; the JDK client then
    // retries a GET it had just sent on it, which the server may already have served and counted.
    // Load tests count exactly what they send, so keep connections open.
    tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
    Context context = setup.addContext(tomcat, docBase.toAbsolutePath().toString());
    tomcat
        .getEngine()
        .getPipeline()
        .addValve(
            new ValveBase(true) {
              @Override
              public void invoke(
                  org.apache.catalina.connector.Request request,
                  org.apache.catalina.connector.Response response)
                  throws IOException, ServletException {
                String query = request.getQueryString();
                HttpAdapterContract.arrived(
                    request.getMethod(),
                    query == null
                        ? request.getRequestURI()
                        : request.getRequestURI() + '?' + query);
                getNext().invoke(request, response);
              }
            });
    App app =
        app(
            URI.create("http://127.0.0.1:0"),
            () -> {
              awaitRequestThreads(tomcat.getConnector());
              tomcat.stop();
              tomcat.destroy();
            });
    try {
      tomcat.start();
      if (context.getState() != LifecycleState.STARTED) {
        throw new IllegalStateException("the Tomcat context did not start: " + context.getState());
      }
    } catch (Exception e) {
      app.close();
      throw e;
    }
    return app(URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort()), app::close);
  }

  /**
   * Stops {@code connector} taking requests and waits (at most 5 s) until none of its threads is
   * still serving one. A thread can still be inside the context after the client read the last byte
   * of its answer; a context stopped under it warns that the application "appears to have started a
   * thread" and "failed to stop it".
   */
  private static void awaitRequestThreads(Connector connector) throws Exception {
    connector.pause();
    if (connector.getProtocolHandler().getExecutor() instanceof ThreadPoolExecutor threads) {
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.getActiveCount() == 0);
      } catch (ConditionTimeoutException stillServing) {
        // A request that outlives its test is that test's concern; stop the server regardless.
      }
    }
  }

  /** Something that stops a server. */
  interface Stopper {
    void stop() throws Exception;
  }

  private static App app(URI baseUri, Stopper stopper) {
    AtomicBoolean closed = new AtomicBoolean();
    return new App() {
      @Override
      public URI baseUri() {
        return baseUri;
      }

      @Override
      public void close() throws Exception {
        if (closed.compareAndSet(false, true)) {
          stopper.stop();
        }
      }
    };
  }
}
