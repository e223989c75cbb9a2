package dev.boxoffice.backend.web;

import dev.boxoffice.backend.checkin.CheckInService;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /api/checkin}: the scanned token in, the admitted ticket out. */
public final class CheckInHandlers {

  private final CheckInService checkIn;

  public CheckInHandlers(CheckInService checkIn) {
    this.checkIn = checkIn;
  }

  void checkIn(RoutingContext ctx) {
    String token = Inputs.body(ctx).getString("token").trim();
    checkIn.checkIn(Sessions.principal(ctx), token)
        .onSuccess(admitted -> Replies.json(ctx, 200, Representations.checkedIn(admitted)))
        .onFailure(ctx::fail);
  }
}
