package dev.boxoffice.local.stripe;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A webhook endpoint for the tests: records every delivery; answers 500 to the first {@code failures} of them. */
final class WebhookReceiver implements AutoCloseable {

  record Delivery(String body, String signature, Instant at, int status) {
  }

  private final HttpServer server;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile String failing = "";

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/webhook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status = body.contains(failing) && failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? 500
          : 200;
      deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("Stripe-Signature"), Instant.now(),
          status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
  }

  /** Answers 500 to the next {@code count} deliveries whose body contains {@code text}. */
  void failNext(int count, String text) {
    failing = text;
    failuresLeft.set(count);
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Waits until {@code count} deliveries match {@code which}, and returns them. */
  List<Delivery> await(Predicate<Delivery> which, int count, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      List<Delivery> matching = deliveries.stream().filter(which).toList();
      if (matching.size() >= count) {
        return matching;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("fewer than " + count + " matching deliveries within " + timeout + ": " + deliveries);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
