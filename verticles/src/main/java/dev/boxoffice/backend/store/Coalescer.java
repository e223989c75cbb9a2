package dev.boxoffice.backend.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One-row statements coalesced per event loop: while one statement of this kind is in flight from a context, the
 * calls made meanwhile on that context wait, then go together in the next statement (at most {@link #MAX_ROWS}
 * rows). A rush of single-row writes (a waiting room's joins: a thousand a second at an on-sale) then takes a few
 * pooled connections a second instead of one per row, and no lease waits behind another. Each instance is confined to
 * the context it was made for ({@link #on}), so nothing is locked; calls from outside Vert.x run their own statement.
 *
 * @param <T> a row to write
 * @param <R> its answer
 */
final class Coalescer<T, R> {

  static final int MAX_ROWS = 500;

  private final Function<List<T>, Future<List<R>>> statement;
  private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
  private boolean inFlight;

  private Coalescer(Function<List<T>, Future<List<R>>> statement) {
    this.statement = statement;
  }

  /**
   * The coalescer of {@code key} on the current context; {@code statement} writes the rows it is given and answers
   * them in the same order.
   */
  static <T, R> Future<R> submit(Object key, Function<List<T>, Future<List<R>>> statement, T row) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return statement.apply(List.of(row)).map(answers -> answers.get(0));
    }
    return Coalescer.<T, R>on(context, key, statement).submit(row);
  }

  @SuppressWarnings("unchecked")
  private static <T, R> Coalescer<T, R> on(Context context, Object key,
                                           Function<List<T>, Future<List<R>>> statement) {
    Coalescer<T, R> coalescer = context.get(key);
    if (coalescer == null) {
      coalescer = new Coalescer<>(statement);
      context.put(key, coalescer);
    }
    return coalescer;
  }

  private Future<R> submit(T row) {
    Promise<R> answered = Promise.promise();
    waiting.add(new Pending<>(row, answered));
    if (!inFlight) {
      next();
    }
    return answered.future();
  }

  private void next() {
    if (waiting.isEmpty()) {
      inFlight = false;
      return;
    }
    inFlight = true;
    List<Pending<T, R>> batch = new ArrayList<>(Math.min(waiting.size(), MAX_ROWS));
    while (!waiting.isEmpty() && batch.size() < MAX_ROWS) {
      batch.add(waiting.poll());
    }
    Future<List<R>> written;
    try {
      written = statement.apply(batch.stream().map(Pending::row).toList());
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(done -> {
      for (int i = 0; i < batch.size(); i++) {
        if (done.succeeded()) {
          batch.get(i).answered().complete(done.result().get(i));
        } else {
          batch.get(i).answered().fail(done.cause());
        }
      }
      next();
    });
  }

  private record Pending<T, R>(T row, Promise<R> answered) {
  }
}
