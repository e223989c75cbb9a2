package dev.boxoffice.backend.web;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The handler chain of every operationId in {@code openapi.yaml}: the route table of the API. */
public record ApiOperations(Config config, CatalogHandlers catalog, SalesHandlers sales, PaymentHandlers payments,
                            CheckInHandlers checkIn, WaitingRoomHandlers waitingRooms, AttendeeHandlers attendees,
                            TeamHandlers team, SessionHandlers sessions, Handler<RoutingContext> devLogin) {

  Map<String, List<Handler<RoutingContext>>> handlers(Buffer document) {
    Handler<RoutingContext> organizer = Sessions.requireRole(Role.ORGANIZER);
    Handler<RoutingContext> buyer = Sessions.requireRole(Role.BUYER);
    Handler<RoutingContext> admin = Sessions.requireRole(Role.ADMIN);
    Map<String, List<Handler<RoutingContext>>> table = new LinkedHashMap<>();
    table.put("getOpenApiDocument", List.of(ApiRouter.serveDocument(document)));
    table.put("getApiDocs", List.of(ApiRouter.serveDocsPage(config.staticDir())));
    table.put("devLogin", List.of(devLogin));
    table.put("getClientConfig", List.of(ClientConfig.handler(config)));
    table.put("listEvents", List.of(catalog::listEvents));
    table.put("createEvent", List.of(organizer, catalog::createEvent));
    table.put("getEvent", List.of(catalog::getEvent));
    table.put("getEventCalendar", List.of(catalog::getEventCalendar));
    table.put("listMyEvents", List.of(organizer, catalog::listMyEvents));
    table.put("updateEvent", List.of(organizer, catalog::updateEvent));
    table.put("publishEvent", List.of(organizer, catalog::publishEvent));
    table.put("cancelEvent", List.of(organizer, catalog::cancelEvent));
    table.put("getEventSummary", List.of(organizer, catalog::getEventSummary));
    table.put("createTicketType", List.of(organizer, catalog::createTicketType));
    table.put("updateTicketType", List.of(organizer, catalog::updateTicketType));
    table.put("purchaseTickets", List.of(buyer, sales::purchaseTickets));
    table.put("holdTickets", List.of(buyer, sales::holdTickets));
    table.put("getHold", List.of(payments::getHold));
    table.put("cancelHold", List.of(payments::cancelHold));
    table.put("startCheckout", List.of(payments::startCheckout));
    table.put("checkPayment", List.of(payments::checkPayment));
    table.put("stripeWebhook", List.of(payments::stripeWebhook));
    table.put("listMyOrders", List.of(sales::listMyOrders));
    table.put("listMyTickets", List.of(sales::listMyTickets));
    table.put("getOrder", List.of(sales::getOrder));
    table.put("cancelOrder", List.of(organizer, sales::cancelOrder));
    table.put("checkIn", List.of(checkIn::checkIn));
    table.put("listDoorEvents", List.of(checkIn::listDoorEvents));
    table.put("getDoorBundle", List.of(checkIn::getDoorBundle));
    table.put("listDoorTickets", List.of(checkIn::listDoorTickets));
    table.put("syncOfflineScans", List.of(checkIn::syncOfflineScans));
    table.put("getWaitingRoom", List.of(waitingRooms::getWaitingRoom));
    table.put("putWaitingRoom", List.of(organizer, waitingRooms::putWaitingRoom));
    table.put("visitQueue", List.of(buyer, waitingRooms::visitQueue));
    table.put("listCheckInConflicts", List.of(organizer, checkIn::listCheckInConflicts));
    table.put("listAttendees", List.of(organizer, attendees::listAttendees));
    table.put("exportAttendees", List.of(organizer, attendees::exportAttendees));
    table.put("streamCheckIns", List.of(organizer, attendees::streamCheckIns));
    table.put("getMe", List.of(team::getMe));
    table.put("signedIn", List.of(team::signedIn));
    table.put("requestOrganizer", List.of(buyer, team::requestOrganizer));
    table.put("listOrganizerGrants", List.of(admin, team::listOrganizerGrants));
    table.put("approveOrganizer", List.of(admin, team::approveOrganizer));
    table.put("refuseOrganizer", List.of(admin, team::refuseOrganizer));
    table.put("revokeOrganizer", List.of(admin, team::revokeOrganizer));
    table.put("listOrganizerAudit", List.of(admin, team::listOrganizerAudit));
    table.put("listTeam", List.of(organizer, team::listTeam));
    table.put("inviteStaff", List.of(organizer, team::inviteStaff));
    table.put("revokeStaff", List.of(organizer, team::revokeStaff));
    table.put("listTeamAudit", List.of(organizer, team::listTeamAudit));
    table.put("signOut", List.of(sessions::signOut));
    table.put("signOutEverywhere", List.of(sessions::signOutEverywhere));
    table.put("revokeSessions", List.of(sessions::revokeSessions));
    return table;
  }
}
