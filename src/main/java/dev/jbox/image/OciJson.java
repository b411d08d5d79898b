package dev.jbox.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jbox.JboxException;
import java.io.IOException;

/**
 * JSON for blobs. A manifest or config is named by the hash of its bytes, so jbox writes it once,
 * compactly and in a fixed field order, and afterwards keeps those bytes: it never serialises a
 * parsed manifest again to compare or to store it.
 */
public final class OciJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private OciJson() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type, String what) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new JboxException("cannot read " + what + " as an OCI " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + "; the blob is damaged: remove the image and load it again");
        } catch (IOException e) {
            throw new JboxException("cannot read " + what + ": " + e.getMessage());
        }
    }
}
