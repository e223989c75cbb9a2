package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.sales.Admissions;
import dev.boxoffice.codecs.ErrorBody;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place where a domain refusal becomes an HTTP answer: its status, its error code and, where one input
 * field is at fault, that field. The switch covers every refusal; a new one does not compile until it has a status.
 */
final class Refusals {

  private Refusals() {
  }

  /**
   * A service's failure as the route's failure handler would answer it: a refusal here and now, anything else through
   * {@code ctx.fail}. For the answers an on-sale is made of (busy, sold out, over the limit): failing the context makes
   * the router match every route of the request's path again to find the failure handler.
   */
  static Handler<Throwable> replyOrFail(RoutingContext ctx) {
    return failure -> {
      if (failure instanceof Refusal refusal) {
        reply(ctx, refusal);
      } else {
        ctx.fail(failure);
      }
    };
  }

  static void reply(RoutingContext ctx, Refusal refusal) {
    switch (refusal) {
      case Refusal.NotFound notFound -> error(ctx, 404, "not_found", notFound, null);
      case Refusal.EventCancelled cancelled -> error(ctx, 409, "event_cancelled", cancelled, null);
      case Refusal.EndsBeforeStart early -> error(ctx, 400, "invalid_request", early, "endsAt");
      case Refusal.CapacityBelowSold below -> error(ctx, 409, "capacity_below_sold", below, "capacity");
      case Refusal.TooManyPurchases tooMany -> {
        if (!ctx.response().headWritten()) {
          ctx.response().putHeader("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
        }
        error(ctx, 429, "too_many_requests", tooMany, null);
      }
      case Refusal.SalesClosed closed -> error(ctx, 409, "sales_closed", closed, null);
      case Refusal.OverPerOrderLimit over -> error(ctx, 400, "quantity_above_max", over, "quantity");
      case Refusal.OverBuyerLimit over -> error(ctx, 409, "buyer_limit_reached", over, "quantity");
      case Refusal.AdmissionRequired required -> error(ctx, 403, "admission_required", required, null);
      case Refusal.WaitingRoomPaused paused -> {
        if (!ctx.response().headWritten()) {
          ctx.response().putHeader("Retry-After", "5");
        }
        error(ctx, 503, "waiting_room_paused", paused, null);
      }
      case Refusal.WaitingRoomBusy busy -> {
        if (!ctx.response().headWritten()) {
          ctx.response().putHeader("Retry-After", Integer.toString(busy.retryAfterSeconds()));
          ctx.response().putHeader(Admissions.ARRIVAL_HEADER, busy.arrivalTicket());
        }
        error(ctx, 503, "waiting_room_busy", busy, null);
      }
      case Refusal.SoldOut soldOut -> error(ctx, 409, "sold_out", soldOut, null);
      case Refusal.IdempotencyKeyReused reused -> error(ctx, 422, "idempotency_key_reused", reused, null);
      case Refusal.PurchaseUnavailable unavailable -> error(ctx, 503, "unavailable", unavailable, null);
      case Refusal.PaymentRequired required -> error(ctx, 409, "payment_required", required, null);
      case Refusal.NoPaymentNeeded free -> error(ctx, 409, "free_ticket_type", free, null);
      case Refusal.HoldEnded ended -> error(ctx, 409, "hold_" + ended.status().text(), ended, null);
      case Refusal.PaymentsUnavailable unavailable -> error(ctx, 503, "payments_unavailable", unavailable, null);
      case Refusal.PaymentProviderFailed failed -> error(ctx, 502, "payment_provider_error", failed, null);
      case Refusal.InvalidSignature invalid -> error(ctx, 400, "invalid_signature", invalid, "Stripe-Signature");
      case Refusal.OrderAlreadyCancelled cancelled -> error(ctx, 409, "order_cancelled", cancelled, null);
      case Refusal.AlreadyGranted granted -> error(ctx, 409, "already_granted", granted, null);
      case Refusal.NotAllowed notAllowed -> error(ctx, 403, "forbidden", notAllowed, null);
      case Refusal.CheckInUnavailable unavailable -> error(ctx, 503, "checkin_unavailable", unavailable, null);
      case Refusal.InvalidTicket invalid -> error(ctx, 400, "invalid_ticket", invalid, "token");
      case Refusal.TicketCancelled cancelled -> error(ctx, 409, "ticket_cancelled", cancelled, null);
      case Refusal.TicketNotValidNow early -> error(ctx, 409, "ticket_not_valid_now", early, null);
      case Refusal.ScanIdReused reused -> error(ctx, 422, "scan_id_reused", reused, "scanId");
      case Refusal.AlreadyCheckedIn already -> Replies.json(ctx, 409, new JsonObject()
          .put("code", "already_checked_in")
          .put("message", already.getMessage())
          .put("checkedInAt", already.checkedInAt().toString()));
    }
  }

  private static void error(RoutingContext ctx, int status, String code, Refusal refusal, String field) {
    Errors.reply(ctx, status, ErrorBody.forField(code, refusal.getMessage(), field));
  }
}
