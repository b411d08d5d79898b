package dev.jbox.registry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One page of a sorted listing ({@code tags/list}, {@code _catalog}) as the spec pages them:
 * {@code n} items after {@code last}, and a {@code Link: <...>; rel="next"} header when more follow.
 */
final class Page {
    private Page() {
    }

    /** The page of {@code sorted} that {@code ?n=&last=} asks for; sets the Link header on {@code ex}. */
    static List<String> of(Exchange ex, List<String> sorted, String path) {
        String last = ex.query("last");
        List<String> after = sorted.stream().filter(t -> last == null || t.compareTo(last) > 0).toList();
        int n = size(ex.query("n"), after.size());
        List<String> page = after.subList(0, n);
        if (n < after.size() && n > 0) {
            ex.set("Link", "<" + path + "?n=" + n + "&last="
                    + URLEncoder.encode(page.get(n - 1), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        return page;
    }

    private static int size(String n, int available) {
        if (n == null) {
            return available;
        }
        try {
            int size = Integer.parseInt(n);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return Math.min(size, available);
        } catch (NumberFormatException e) {
            throw new RegistryError(ErrorCode.UNSUPPORTED, 400, "n=" + n + " is not a page size: give a number of entries, 0 or more");
        }
    }
}
