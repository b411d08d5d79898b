package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.image.ImageIndex;
import dev.jbox.image.MediaTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * Which image of a multi-platform index to pull: {@code os/architecture[/variant]} in the OCI
 * image spec's words ({@code linux/amd64}, {@code linux/arm64/v8}), this machine's by default.
 */
public record Platform(String os, String architecture, String variant) {
    /** The machine jbox runs on. */
    public static Platform host() {
        String arch = System.getProperty("os.arch");
        // Java's name for the CPU, in the OCI (Go) spelling an index uses.
        return new Platform("linux", switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        }, null);
    }

    /** Parses {@code --platform os/arch[/variant]}. */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(p -> !p.matches("[a-z0-9_]+"))) {
            throw new JboxException("--platform '" + text + "' is not OS/ARCH[/VARIANT]; e.g. linux/amd64 or linux/arm64/v8");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The manifest of the index made for this platform; an error listing the platforms it has otherwise. */
    public Descriptor pick(ImageIndex index, String image) {
        Descriptor loose = null;
        List<String> offered = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Descriptor.Platform p = d.platform();
            if (p == null || !MediaTypes.isManifest(d.mediaType() == null ? MediaTypes.OCI_MANIFEST : d.mediaType())) {
                continue;
            }
            offered.add(p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant()));
            if (!os.equals(p.os()) || !architecture.equals(p.architecture())) {
                continue;
            }
            if (variant == null || variant.equals(p.variant()) || (p.variant() == null && isDefaultVariant())) {
                if (variant != null || p.variant() == null) {
                    return d; // an exact match
                }
                loose = loose == null ? d : loose; // no variant asked: the first of the architecture
            }
        }
        if (loose != null) {
            return loose;
        }
        throw new JboxException(image + " has no image for " + this + " (it has " + (offered.isEmpty() ? "none" : String.join(", ", offered))
                + "); choose one with --platform");
    }

    /** arm64's only variant is v8, which an index may leave out. */
    private boolean isDefaultVariant() {
        return architecture.equals("arm64") && "v8".equals(variant);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
