package dev.jbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void namesContentAsTheSpecDoes() throws Exception {
        assertThat(Digest.sha256(new byte[0])).hasToString(EMPTY_SHA256);
        byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.of("sha256", new ByteArrayInputStream(abc))).isEqualTo(Digest.sha256(abc));
        assertThat(Digest.of("sha512", new ByteArrayInputStream(abc)).hex())
                .startsWith("ddaf35a193617aba").hasSize(128);
    }

    @Test
    void parsesAndRefusesWhatIsNotADigest() {
        assertThat(Digest.parse(EMPTY_SHA256).path()).isEqualTo("sha256/" + EMPTY_SHA256.substring(7));
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).isInstanceOf(JboxException.class).hasMessageContaining("64");
        assertThatThrownBy(() -> Digest.parse("md5:" + "a".repeat(32))).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> Digest.parse(EMPTY_SHA256.toUpperCase())).isInstanceOf(JboxException.class);
        assertThatThrownBy(() -> Digest.parse("../../etc/passwd")).isInstanceOf(JboxException.class);
    }

    @Test
    void hashingStreamCountsSkippedBytesToo() throws Exception {
        byte[] data = new byte[10000];
        data[5000] = 7;
        Digest.Hashing h = Digest.hashing("sha256", new ByteArrayInputStream(data));
        while (h.in().skip(4096) > 0) {
            // skip to the end
        }
        assertThat(h.size()).isEqualTo(10000);
        assertThat(h.digest()).isEqualTo(Digest.sha256(data));
    }
}
