package io.kosmos.metrics.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kosmos.metrics.testsupport.HttpAdapterContract;
import io.kosmos.metrics.testsupport.HttpAdapterHardeningContract;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;

/**
 * The application of the servlet tests, registered through the portable {@link ServletContext} API
 * so that Jetty and Tomcat serve the very same servlets: the routes of {@link HttpAdapterContract}
 * plus the servlet-specific ones below.
 */
final class FixtureServlets {

  /** The endpoint that {@code /both/*} sets explicitly, besides a Spring pattern. */
  static final String EXPLICIT_ROUTE = "/both/{explicit}";

  /** The pattern that {@code /spring/*} and {@code /both/*} set as Spring MVC would. */
  static final String SPRING_ROUTE = "/spring/orders/{orderId}";

  private FixtureServlets() {}

  /**
   * Registers every fixture servlet on {@code context}, and after the filters registered so far the
   * filter that answers requests carrying {@link HttpAdapterHardeningContract#ANSWER_HEADER}.
   */
  static void register(ServletContext context) {
    FilterRegistration.Dynamic answer =
        context.addFilter("answer-before-routing", new AnswerBeforeRouting());
    answer.setAsyncSupported(true);
    answer.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    add(context, "tasks", new Tasks(), "/tasks/*");
    add(context, "boom", new Boom(), "/boom");
    add(context, "async", new Async(), "/async");
    add(context, "stream", new Stream(), "/stream");
    add(context, "async-timeout", new AsyncTimeout(), "/async-timeout");
    add(context, "async-error", new AsyncError(), "/async-error");
    add(context, "async-dispatch", new AsyncDispatch(), "/async-dispatch");
    add(context, "async-twice", new AsyncTwice(), "/async-twice");
    add(context, "commit-then-throw", new CommitThenThrow(), "/commit-then-throw");
    add(context, "exact", new Text("exact"), "/exact");
    add(context, "under-exact", new Text("under exact"), "/exact/*");
    add(context, "files", new Text("file"), "/files/*");
    add(context, "api", new Text("api"), "/api/v1/*");
    add(context, "reports", new Text("report"), "*.report");
    add(context, "spring", new SpringPattern(false), "/spring/*");
    add(context, "both", new SpringPattern(true), "/both/*");
    add(context, "orders", new MissingOrder(), "/orders/*");
    add(context, "no-resource", new NoStaticResource(), "/assets/*");
    add(context, "forward", new Forward(), "/forward");
    add(context, "upload", new Upload(), "/upload");
  }

  private static void add(ServletContext context, String name, HttpServlet servlet, String path) {
    ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
    registration.setAsyncSupported(true);
    registration.addMapping(path);
  }

  private static void text(HttpServletResponse response, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    response.setStatus(status);
    response.setContentType("text/plain;charset=utf-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /**
   * Answers a request with {@link HttpAdapterHardeningContract#ANSWER_HEADER} itself, with that
   * status, before any servlet runs: what a security filter (401, 403, a redirect to a login page)
   * or a filter serving every path (200) does.
   */
  static final class AnswerBeforeRouting extends HttpFilter {
    @Override
    protected void doFilter(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String answer = request.getHeader(HttpAdapterHardeningContract.ANSWER_HEADER);
      if (answer == null) {
        chain.doFilter(request, response);
        return;
      }
      int status = Integer.parseInt(answer);
      if (status == 302) {
        response.setHeader("Location", "/login");
      } else if (status == 401) {
        response.setHeader("WWW-Authenticate", "Bearer");
      }
      text(response, status, HttpAdapterHardeningContract.ANSWERED_BEFORE_ROUTING);
    }
  }

  /** {@code /tasks/{id}} for any method: a wildcard servlet that names its route template. */
  static final class Tasks extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.setAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE, "/tasks/{id}");
      String id = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
      if (request.getMethod().equals("HEAD")) {
        response.setStatus(200);
        return;
      }
      text(response, 200, "task " + id);
    }
  }

  static final class Boom extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      throw new IllegalStateException("boom");
    }
  }

  /** Answers from another thread after the handler returned. */
  static final class Async extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      async.start(
          () -> {
            try {
              text((HttpServletResponse) async.getResponse(), 200, "done");
            } catch (IOException e) {
              // the client is gone; completing is all that is left
            }
            async.complete();
          });
    }
  }

  static final class Stream extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      response.setStatus(200);
      response.setContentType("application/octet-stream");
      byte[] chunk = new byte[8 * 1024];
      try {
        ServletOutputStream out = response.getOutputStream();
        for (int i = 0; i < HttpAdapterContract.STREAM_CHUNKS; i++) {
          out.write(chunk);
          out.flush();
        }
      } catch (IOException e) {
        // the client went away
      }
    }
  }

  /** Starts an async cycle with a short timeout that nothing completes. */
  static final class AsyncTimeout extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      request.startAsync().setTimeout(50);
    }
  }

  /** Goes async, then dispatches to itself, and the async dispatch throws. */
  static final class AsyncError extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        throw new IllegalStateException("async boom");
      }
      AsyncContext async = request.startAsync();
      async.start(async::dispatch);
    }
  }

  /** Goes async, then dispatches to itself, and the async dispatch answers 202. */
  static final class AsyncDispatch extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        text(response, 202, "dispatched");
        return;
      }
      AsyncContext async = request.startAsync();
      async.start(async::dispatch);
    }
  }

  /** Goes async, dispatches, and the async dispatch starts a second cycle that answers 203. */
  static final class AsyncTwice extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      AsyncContext async = request.startAsync();
      if (request.getDispatcherType() == DispatcherType.ASYNC) {
        async.start(
            () -> {
              try {
                text((HttpServletResponse) async.getResponse(), 203, "second cycle");
              } catch (IOException e) {
                // the client is gone; completing is all that is left
              }
              async.complete();
            });
      } else {
        async.start(async::dispatch);
      }
    }
  }

  /** Sends 200 and part of the body, then throws. */
  static final class CommitThenThrow extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setStatus(200);
      response.setContentType("text/plain");
      response.getOutputStream().write("partial".getBytes(UTF_8));
      response.flushBuffer();
      throw new IllegalStateException("after commit");
    }
  }

  /**
   * Answers 200 without naming a route, so the mapping pattern is the endpoint; runs its {@code
   * work} first, if given one.
   */
  static final class Text extends HttpServlet {
    private final String body;
    private final Runnable work;

    Text(String body) {
      this(body, () -> {});
    }

    Text(String body, Runnable work) {
      this.body = body;
      this.work = work;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      work.run();
      text(response, 200, body);
    }
  }

  /** Sets Spring MVC's best matching pattern attribute, as its handler mappings do. */
  static final class SpringPattern extends HttpServlet {
    private final boolean alsoExplicit;

    SpringPattern(boolean alsoExplicit) {
      this.alsoExplicit = alsoExplicit;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.setAttribute(
          "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern", SPRING_ROUTE);
      if (alsoExplicit) {
        request.setAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE, EXPLICIT_ROUTE);
      }
      text(response, 200, "spring");
    }
  }

  /** A matched route that answers 404: recorded under its route, not as unmatched. */
  static final class MissingOrder extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.setAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE, "/orders/{id}");
      response.sendError(404);
    }
  }

  /** Answers 404 as Spring Boot's static resource handler on {@code /**} does for unknown paths. */
  static final class NoStaticResource extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      request.setAttribute(
          "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern", "/**");
      response.sendError(404);
    }
  }

  /** {@code POST /upload}: reads the whole body, then answers 200 with its length. */
  static final class Upload extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      int length = request.getInputStream().readAllBytes().length;
      text(response, 200, "read " + length);
    }
  }

  /** Forwards to {@code /exact}: a second pass through the filters of another type. */
  static final class Forward extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException, jakarta.servlet.ServletException {
      request.getRequestDispatcher("/exact").forward(request, response);
    }
  }
}
