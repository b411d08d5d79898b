package dev.jbox.image;

import dev.jbox.JboxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as Docker reads one: {@code name[:tag][@digest]}, normalised the way
 * Docker's distribution/reference does it, so {@code busybox} is
 * {@code docker.io/library/busybox:latest} and {@code localhost:5000/app} names a local registry.
 * The first part of a name is a registry host if it has a '.' or a ':', is "localhost", or has an
 * upper-case letter (repository names never do); otherwise the image is on Docker Hub.
 *
 * @param domain the registry, e.g. docker.io or localhost:5000
 * @param path   the repository in it, e.g. library/busybox
 * @param tag    null if none was given (see {@link #withDefaultTag()})
 * @param digest null if none was given
 */
public record Reference(String domain, String path, String tag, Digest digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final int NAME_MAX = 255;

    // The grammar of distribution/reference (regexp.go), piece by piece.
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[(?:[a-fA-F0-9:]+)\\])";
    private static final String DOMAIN_AND_PORT = HOST + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(" + DOMAIN_AND_PORT + ")/(" + REMOTE_NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern TAG_ONLY = Pattern.compile(TAG);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

    /** Parses and normalises {@code text}; a bad reference is one error naming it and the rule it breaks. */
    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("", "it is empty");
        }
        if (text.length() > 2 * NAME_MAX + 200) {
            throw invalid(text.substring(0, 40) + "...", "it is longer than any image reference can be");
        }
        if (IDENTIFIER.matcher(text).matches()) {
            throw invalid(text, "a 64-digit hex string is an image id, not a repository name");
        }
        String[] split = splitDomain(text);
        String domain = split[0];
        String remainder = split[1];
        int colon = remainder.indexOf(':');
        String remote = colon < 0 ? remainder : remainder.substring(0, colon);
        if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
            throw invalid(text, "repository names must be lower-case");
        }
        Matcher m = REFERENCE.matcher(domain + "/" + remainder);
        if (!m.matches()) {
            throw invalid(text, "a name is lower-case letters, digits and single '.', '_' or '-' between"
                    + " them, in parts separated by '/', then an optional :TAG or @sha256:DIGEST");
        }
        if (m.group(1).length() + 1 + m.group(2).length() > NAME_MAX) {
            throw invalid(text, "the repository name is longer than " + NAME_MAX + " characters");
        }
        Digest digest = m.group(4) == null ? null : Digest.parse(m.group(4));
        return new Reference(m.group(1), m.group(2), m.group(3), digest);
    }

    /** distribution/reference's splitDockerDomain: the registry host, or Docker Hub. */
    private static String[] splitDomain(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return new String[] {DEFAULT_DOMAIN, OFFICIAL_PREFIX + name};
        }
        String first = name.substring(0, slash);
        String domain = DEFAULT_DOMAIN;
        String remote = name;
        if (first.equals("localhost") || first.contains(".") || first.contains(":")
                || !first.toLowerCase(Locale.ROOT).equals(first)) {
            domain = first.equals(LEGACY_DOMAIN) ? DEFAULT_DOMAIN : first;
            remote = name.substring(slash + 1);
        }
        if (domain.equals(DEFAULT_DOMAIN) && remote.indexOf('/') < 0) {
            remote = OFFICIAL_PREFIX + remote;
        }
        return new String[] {domain, remote};
    }

    private static JboxException invalid(String text, String why) {
        return new JboxException("invalid image name '" + text + "': " + why
                + "; e.g. busybox, busybox:1.36 or localhost:5000/team/app:v1");
    }

    /** Checks a tag on its own, e.g. the tag part of {@code jbox tag}. */
    public static boolean isValidTag(String tag) {
        return TAG_ONLY.matcher(tag).matches();
    }

    /** The repository, in full: {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository as Docker shows it: Docker Hub's domain and "library/" left out. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_PREFIX.length());
        }
        return path;
    }

    /** The familiar form with tag and digest: {@code busybox:latest}, {@code localhost:5000/app@sha256:...}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** A name with neither tag nor digest gets "latest", as Docker's TagNameOnly. */
    public Reference withDefaultTag() {
        return tag == null && digest == null ? withTag(DEFAULT_TAG) : this;
    }

    public Reference withTag(String t) {
        return new Reference(domain, path, t, null);
    }

    public Reference withDigest(Digest d) {
        return new Reference(domain, path, null, d);
    }

    /** The full, canonical form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
