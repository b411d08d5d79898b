package dev.jbox.registry.client;

import dev.jbox.image.Digest;

/** A manifest or an index as the registry sent it: its exact bytes (its digest is of them), and its type. */
public record PulledManifest(byte[] bytes, String mediaType, Digest digest) {
}
