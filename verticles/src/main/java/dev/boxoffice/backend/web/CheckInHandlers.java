package dev.boxoffice.backend.web;

import dev.boxoffice.backend.checkin.CheckInService;
import dev.boxoffice.backend.checkin.DoorService;
import dev.boxoffice.backend.checkin.OfflineCheckIn;
import dev.boxoffice.backend.model.OfflineScan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The door's routes: a scan checked in online ({@code POST /api/checkin}), what a door downloads to check tickets in
 * offline, the batch of scans it syncs when the network returns, and the conflicts those scans show the organizer.
 */
public final class CheckInHandlers {

  static final int DEFAULT_TICKET_LIST_PAGE = 10_000;

  private final CheckInService checkIn;
  private final DoorService doors;
  private final OfflineCheckIn offline;

  public CheckInHandlers(CheckInService checkIn, DoorService doors, OfflineCheckIn offline) {
    this.checkIn = checkIn;
    this.doors = doors;
    this.offline = offline;
  }

  void checkIn(RoutingContext ctx) {
    JsonObject body = Inputs.body(ctx);
    Optional<UUID> scanId = Optional.ofNullable(body.getString("scanId")).map(id -> uuid(id, "scanId"));
    checkIn.checkIn(Sessions.principal(ctx), body.getString("token").trim(), scanId, door(body))
        .onSuccess(admitted -> Replies.json(ctx, 200, Representations.checkedIn(admitted)))
        .onFailure(ctx::fail);
  }

  void listDoorEvents(RoutingContext ctx) {
    doors.doorEvents(Sessions.principal(ctx), Inputs.page(ctx))
        .onSuccess(events -> Replies.json(ctx, 200, Representations.page(events, Representations::event)))
        .onFailure(ctx::fail);
  }

  void getDoorBundle(RoutingContext ctx) {
    doors.bundle(Sessions.principal(ctx), Inputs.pathId(ctx, "eventId"))
        .onSuccess(bundle -> Replies.json(ctx, 200, DoorRepresentations.bundle(bundle)))
        .onFailure(ctx::fail);
  }

  void listDoorTickets(RoutingContext ctx) {
    Optional<UUID> after = Optional.ofNullable(Inputs.query(ctx, "after")).map(id -> uuid(id, "after"));
    doors.ticketsNotAdmitting(Sessions.principal(ctx), Inputs.pathId(ctx, "eventId"), after,
            Inputs.queryInt(ctx, "limit", DEFAULT_TICKET_LIST_PAGE))
        .onSuccess(list -> Replies.json(ctx, 200, DoorRepresentations.ticketList(list)))
        .onFailure(ctx::fail);
  }

  void syncOfflineScans(RoutingContext ctx) {
    JsonObject body = Inputs.body(ctx);
    offline.sync(Sessions.principal(ctx), Inputs.pathId(ctx, "eventId"), door(body), scans(body.getJsonArray("scans")))
        .onSuccess(results -> Replies.json(ctx, 200, DoorRepresentations.scanResults(results)))
        .onFailure(ctx::fail);
  }

  void listCheckInConflicts(RoutingContext ctx) {
    doors.conflicts(Sessions.principal(ctx), Inputs.pathId(ctx, "eventId"), Inputs.page(ctx))
        .onSuccess(conflicts -> Replies.json(ctx, 200, DoorRepresentations.conflicts(conflicts)))
        .onFailure(ctx::fail);
  }

  /** The scans of a batch; the contract checked their shape, this checks what it cannot say. */
  private static List<OfflineScan> scans(JsonArray items) {
    List<OfflineScan> scans = new ArrayList<>();
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String field = "scans[" + i + "]";
      UUID id = uuid(item.getString("id"), field + ".id");
      if (!ids.add(id)) {
        throw new BadInput(field + ".id", "Scan id " + id + " appears twice in this batch");
      }
      scans.add(new OfflineScan(id, item.getString("token").trim(),
          Inputs.instant(item.getString("scannedAt"), field + ".scannedAt")));
    }
    return scans;
  }

  private static Optional<String> door(JsonObject body) {
    return Optional.ofNullable(body.getString("door")).map(String::strip).filter(name -> !name.isEmpty());
  }

  private static UUID uuid(String value, String field) {
    try {
      UUID parsed = UUID.fromString(value);
      if (!parsed.toString().equalsIgnoreCase(value)) {
        throw new IllegalArgumentException("not in canonical form");
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new BadInput(field, field + " must be a UUID like 0190a3e4-5b6c-7d8e-9f00-112233445566");
    }
  }
}
