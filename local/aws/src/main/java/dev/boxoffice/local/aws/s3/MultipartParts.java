package dev.boxoffice.local.aws.s3;

import io.vertx.core.buffer.Buffer;
import java.io.StringReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The parts uploaded through the front, with the length and checksum verified for each, so CompleteMultipartUpload
 * can be held to them as S3 holds it: a part named with another checksum than the one it was uploaded with is an
 * {@code InvalidPart}, and an {@code x-amz-mp-object-size} that is not the sum of the parts is an
 * {@code InvalidRequest}. S3Proxy's file store keeps neither. Parts uploaded before a restart are not known and are
 * not checked.
 */
final class MultipartParts {

  private static final int MAX_REMEMBERED_PARTS = 100_000;

  private record Part(long length, Optional<FlexibleChecksum> checksum, String checksumValue) {
  }

  private final Map<String, Part> parts = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Part> eldest) {
      return size() > MAX_REMEMBERED_PARTS;
    }
  };

  void uploaded(String uploadId, String partNumber, UploadIntake.Verified part) {
    parts.put(uploadId + "/" + partNumber,
        new Part(part.body().length(), part.checksum(), part.checksumValue()));
  }

  /** Checks a CompleteMultipartUpload's body and declared size against the parts as they were uploaded. */
  void checkCompletion(String uploadId, Buffer completeBody, String declaredObjectSize) {
    Map<String, Map<String, String>> named = partsNamedIn(completeBody);
    long total = 0;
    boolean allKnown = true;
    for (Map.Entry<String, Map<String, String>> entry : named.entrySet()) {
      Part part = parts.get(uploadId + "/" + entry.getKey());
      if (part == null) {
        allKnown = false;
        continue;
      }
      total += part.length();
      for (FlexibleChecksum checksum : FlexibleChecksum.values()) {
        String claimed = entry.getValue().get("Checksum" + checksum.name());
        boolean matches = part.checksum().filter(checksum::equals).isPresent()
            && part.checksumValue().equals(claimed);
        if (claimed != null && !matches) {
          throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found.  The part "
              + "may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
              S3Error.details("UploadId", uploadId, "PartNumber", entry.getKey()));
        }
      }
    }
    if (declaredObjectSize != null && allKnown && !declaredObjectSize.equals(String.valueOf(total))) {
      throw S3Error.invalidRequest("The provided 'x-amz-mp-object-size' header value " + declaredObjectSize
          + " does not match what was computed: " + total);
    }
  }

  void forget(String uploadId) {
    parts.keySet().removeIf(key -> key.startsWith(uploadId + "/"));
  }

  /** Part number to the elements of its {@code <Part>}; a body that does not parse is left to S3Proxy. */
  private static Map<String, Map<String, String>> partsNamedIn(Buffer body) {
    Map<String, Map<String, String>> named = new LinkedHashMap<>();
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    try {
      XMLStreamReader xml = factory.createXMLStreamReader(new StringReader(body.toString()));
      Map<String, String> part = null;
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamReader.START_ELEMENT && xml.getLocalName().equals("Part")) {
          part = new HashMap<>();
        } else if (event == XMLStreamReader.START_ELEMENT && part != null) {
          part.put(xml.getLocalName(), xml.getElementText().trim());
        } else if (event == XMLStreamReader.END_ELEMENT && xml.getLocalName().equals("Part") && part != null) {
          named.put(part.getOrDefault("PartNumber", ""), part);
          part = null;
        }
      }
    } catch (XMLStreamException malformed) {
      return Map.of();
    }
    return named;
  }
}
