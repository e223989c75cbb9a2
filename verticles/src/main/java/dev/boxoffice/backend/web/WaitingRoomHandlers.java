package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.QueueStatus;
import dev.boxoffice.backend.model.WaitingRoom;
import dev.boxoffice.backend.sales.Admissions;
import dev.boxoffice.backend.sales.WaitingRoomService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The waiting-room routes: an organizer turns one on, anyone reads it, a signed-in buyer queues in it. */
public final class WaitingRoomHandlers {

  private final WaitingRoomService rooms;

  public WaitingRoomHandlers(WaitingRoomService rooms) {
    this.rooms = rooms;
  }

  void putWaitingRoom(RoutingContext ctx) {
    JsonObject body = Inputs.body(ctx);
    WaitingRoom room = new WaitingRoom(Inputs.pathId(ctx, "eventId"),
        Inputs.instant(body.getString("opensAt"), "opensAt"), body.getInteger("admitPerMinute"),
        body.getInteger("admissionMinutes", 10));
    rooms.open(Sessions.principal(ctx), room)
        .onSuccess(saved -> Replies.json(ctx, 200, room(saved)))
        .onFailure(ctx::fail);
  }

  void getWaitingRoom(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    rooms.room(eventId)
        .onSuccess(room -> Replies.json(ctx, 200, room(room)))
        .onFailure(ctx::fail);
  }

  void visitQueue(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    rooms.visit(Sessions.principal(ctx), eventId, ctx.request().getHeader(Admissions.ARRIVAL_HEADER))
        .onSuccess(status -> Replies.json(ctx, 200, status(status)))
        .onFailure(Refusals.replyOrFail(ctx));
  }

  private static JsonObject room(WaitingRoom room) {
    return new JsonObject()
        .put("eventId", room.eventId().toString())
        .put("opensAt", room.opensAt().toString())
        .put("admitPerMinute", room.admitPerMinute())
        .put("admissionMinutes", room.admissionMinutes());
  }

  private static JsonObject status(QueueStatus status) {
    JsonObject json = new JsonObject()
        .put("state", status.state().text())
        .put("opensAt", status.opensAt().toString())
        .put("pollAfterMillis", status.pollAfterMillis())
        .put("pollAfterSeconds", status.pollAfterSeconds())
        .put("soldOut", status.soldOut());
    if (status.place() > 0) {
      json.put("place", status.place());
    }
    if (status.state() == QueueStatus.State.WAITING) {
      json.put("ahead", status.ahead()).put("estimatedWaitSeconds", status.estimatedWaitSeconds());
    }
    if (status.admission() != null) {
      json.put("admission", status.admission()).put("admissionExpiresAt", status.admissionExpiresAt().toString());
    }
    return json;
  }
}
