package dev.boxoffice.codecs.api;

import java.util.UUID;

/** Output of create-ticket: where the ticket's QR code PNG lies in the bucket ({@code tickets/<ticketId>.png}). */
public record TicketQrCode(UUID ticketId, String qrKey) {
}
