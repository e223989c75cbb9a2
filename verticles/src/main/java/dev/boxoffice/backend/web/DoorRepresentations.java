package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.CheckInConflict;
import dev.boxoffice.backend.model.CheckInConflicts;
import dev.boxoffice.backend.model.DoorBundle;
import dev.boxoffice.backend.model.DoorTicketList;
import dev.boxoffice.backend.model.OfflineScanResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON of what doors read and sync. Lists of ticket ids are compact: the ids' 16 bytes each, one after the other,
 * in one base64url string (22 characters an id instead of 39 as JSON strings), because a door of a 100,000-ticket
 * event may download tens of thousands of them.
 */
final class DoorRepresentations {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private DoorRepresentations() {
  }

  static JsonObject bundle(DoorBundle bundle) {
    JsonArray types = new JsonArray();
    bundle.ticketTypes().forEach(type -> types.add(new JsonObject()
        .put("id", type.id().toString())
        .put("name", type.name())));
    return new JsonObject()
        .put("event", Representations.event(bundle.event()))
        .put("ticketTypes", types)
        .put("ticketPublicKey", BASE64URL.encodeToString(bundle.ticketPublicKey()))
        .put("validFrom", bundle.validity().validFrom().toString())
        .put("validUntil", bundle.validity().validUntil().toString())
        .put("generatedAt", bundle.generatedAt().toString());
  }

  static JsonObject ticketList(DoorTicketList list) {
    JsonObject json = new JsonObject()
        .put("cancelled", compact(list.cancelled()))
        .put("checkedIn", compact(list.checkedIn()))
        .put("count", list.cancelled().size() + list.checkedIn().size())
        .put("asOf", list.asOf().toString());
    list.next().ifPresent(next -> json.put("after", next.toString()));
    return json;
  }

  static JsonObject scanResults(List<OfflineScanResult> results) {
    JsonArray items = new JsonArray();
    results.forEach(result -> items.add(scanResult(result)));
    return new JsonObject()
        .put("results", items)
        .put("conflicts", results.stream().filter(OfflineScanResult::conflict).count());
  }

  static JsonObject conflicts(CheckInConflicts conflicts) {
    return Representations.page(conflicts.page(), DoorRepresentations::conflict).put("count", conflicts.count());
  }

  private static JsonObject scanResult(OfflineScanResult result) {
    JsonObject json = new JsonObject()
        .put("id", result.scanId().toString())
        .put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
    result.ticketId().ifPresent(ticketId -> json.put("ticketId", ticketId.toString()));
    result.firstScannedAt().ifPresent(first -> json.put("firstScannedAt", first.toString()));
    result.rejection().ifPresent(rejection -> json.put("code", rejection.code()).put("message", rejection.message()));
    return json;
  }

  private static JsonObject conflict(CheckInConflict conflict) {
    JsonObject json = new JsonObject()
        .put("scanId", conflict.scanId().toString())
        .put("ticketId", conflict.ticketId().toString())
        .put("ticketType", conflict.ticketTypeName())
        .put("kind", conflict.kind().name().toLowerCase(Locale.ROOT))
        .put("scan", scan(conflict.scan()));
    conflict.firstScan().ifPresent(first -> json.put("firstScan", scan(first)));
    return json;
  }

  private static JsonObject scan(CheckInConflict.Scan scan) {
    JsonObject json = new JsonObject().put("at", scan.at().toString()).put("by", scan.by());
    scan.door().ifPresent(door -> json.put("door", door));
    return json;
  }

  private static String compact(List<UUID> ids) {
    ByteBuffer bytes = ByteBuffer.allocate(ids.size() * 16);
    ids.forEach(id -> bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()));
    return BASE64URL.encodeToString(bytes.array());
  }
}
