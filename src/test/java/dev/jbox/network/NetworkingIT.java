package dev.jbox.network;

import static dev.jbox.network.NetTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.DataRoot;
import dev.jbox.image.ImageStore;
import dev.jbox.layers.FlatRootfs;
import dev.jbox.testing.ChapterCli;
import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers on networks through the real launcher, with real TCP and UDP traffic between the
 * host (Java sockets) and containers (busybox httpd, nc, wget, and udp-echo: busybox's nc has no
 * UDP), and between containers. Everything runs in the host's own network namespace, as for a
 * reader, but under names of the suite's own ({@link Cli#NETWORK_PREFIX}: bridges, veths,
 * chains; {@link Cli#DEFAULT_SUBNET}), so a reader's jbox0 is never touched. Each test ends with
 * {@code jbox system reset}, then checks that the host holds no link, address, route or iptables
 * rule of it, and that ip_forward is what it was. Traffic goes only to the host's own addresses
 * and its bridges.
 */
class NetworkingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path udpEcho;

    @TempDir
    Path store;

    private String forwardingBefore;
    /** Runs containers on the chapter under test (set first thing by each test). */
    private ChapterCli cli;
    private int chapter;
    private final String gateway = Ipv4Subnet.parse(Cli.DEFAULT_SUBNET).gateway().getHostAddress();

    @BeforeAll
    static void buildUdpEcho() throws IOException {
        udpEcho = Cli.REPO.resolve("target/udp-echo");
        Cli.Result cc = Cli.run(List.of("gcc", "-static", "-O2", "-o", udpEcho.toString(),
                Cli.REPO.resolve("src/test/c/udp-echo.c").toString()), Map.of());
        assertThat(cc.exitCode()).as("gcc: " + cc.stderr()).isZero();
    }

    @BeforeEach
    void installUdpEcho() throws IOException {
        cli = new ChapterCli(store);
        forwardingBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        // The tool goes into the image the way a reader would put it there: an image built on busybox,
        // tagged busybox in this test's own store (an image's files are read-only layers since chapter 4).
        Path context = Files.createDirectories(store.resolve("udp-echo-context"));
        Files.copy(udpEcho, context.resolve("udp-echo"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY udp-echo /usr/local/bin/udp-echo\n");
        ok("build", "-q", "-t", "busybox", context.toString());
    }

    @AfterEach
    void resetAndCheckTheHost() throws Exception {
        Cli.removeAll(store);
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) { // a dead container's namespace, and its veth, go away asynchronously
            left = ours();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(left).as("left on the host after jbox system reset").isEmpty();
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip()).as("ip_forward")
                .isEqualTo(forwardingBefore);
    }

    /** Links, addresses, routes and iptables lines that carry the suite's names or its default subnet. */
    private static List<String> ours() {
        String subnetStart = Cli.DEFAULT_SUBNET.substring(0, Cli.DEFAULT_SUBNET.lastIndexOf('.'));
        List<String> found = new ArrayList<>();
        sh("ip", "-o", "link").lines().filter(l -> l.contains(Cli.NETWORK_PREFIX)).forEach(l -> found.add("link: " + l));
        sh("ip", "-4", "-o", "addr").lines().filter(l -> l.contains(subnetStart)).forEach(l -> found.add("addr: " + l));
        sh("ip", "-4", "route", "show", "table", "all").lines().filter(l -> l.contains(subnetStart) || l.contains(Cli.NETWORK_PREFIX))
                .forEach(l -> found.add("route: " + l));
        sh("iptables-save").lines().filter(l -> l.toLowerCase().contains(Cli.NETWORK_PREFIX))
                .forEach(l -> found.add("iptables: " + l));
        return found;
    }

    @ChapterTest(since = 2)
    void tcpAndUdpBetweenContainersAndTheHostAndBetweenContainers(int chapter) throws Exception {
        this.chapter = chapter;
        cli.chapter(chapter);
        ok("run", "-d", "--name", "web", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        ok("run", "-d", "--name", "echo", "busybox", "udp-echo", "-l", "5300");
        String web = ipOf("web");
        String echo = ipOf("echo");
        assertThat(web).startsWith(subnetStart()).isNotEqualTo(echo);

        // host -> container: httpd serves the container's own /etc/hostname; the container sees the
        // host as the bridge's address, the host's address on that network
        assertThat(httpGet(web, 80, "/hostname")).isEqualTo("web\n");
        assertThat(udpAsk(echo, 5300, "ping")).isEqualTo("echo ping (from " + gateway + ")");

        // container -> host
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName(gateway))) {
            Thread t = answerOnce(server);
            String out = ok("run", "--rm", "--name", "client", "busybox", "sh", "-c",
                    "echo hello | nc " + gateway + " " + server.getLocalPort()).stdout();
            assertThat(out).matches("host saw " + subnetStart().replace(".", "\\.") + "\\d+: hello\n");
            t.join(5000);
        }
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(gateway, 0))) {
            Thread t = echoOnce(server);
            String out = ok("run", "--rm", "busybox", "udp-echo", gateway, Integer.toString(server.getLocalPort()), "hi").stdout();
            assertThat(out).matches("host saw " + subnetStart().replace(".", "\\.") + "\\d+: hi\n");
            t.join(5000);
        }

        // The image's own /etc files stay empty: each container's are bind-mounted over them (chapters 2-3:
        // over the image's plain directory, which every container shares; 4 on: its layers' snapshots)
        ImageStore images = new ImageStore(new DataRoot(store));
        List<Path> etcs = new ArrayList<>();
        if (chapter < 4) {
            etcs.add(FlatRootfs.ensure(new DataRoot(store), images, images.resolve("busybox")).resolve("etc"));
        } else {
            try (var snapshots = Files.list(store.resolve("snapshots/sha256"))) {
                snapshots.map(d -> d.resolve("fs/etc")).filter(Files::isDirectory).forEach(etcs::add);
            }
        }
        assertThat(etcs).isNotEmpty();
        for (Path etc : etcs) {
            for (String name : List.of("hosts", "hostname", "resolv.conf")) {
                Path file = etc.resolve(name);
                assertThat(!Files.exists(file) || Files.size(file) == 0).as(file + " stays empty").isTrue();
            }
        }
        assertThat(ok("exec", "web", "cat", "/etc/hostname").stdout()).isEqualTo("web\n");

                // container -> container, straight across the bridge: each sees the other's own address
        assertThat(ok("run", "--rm", "busybox", "wget", "-qO-", "http://" + web + "/hostname").stdout()).isEqualTo("web\n");
        assertThat(ok("exec", "web", "udp-echo", echo, "5300", "hey").stdout()).isEqualTo("echo hey (from " + web + ")\n");
        ok("rm", "-f", "web", "echo");
    }

    @ChapterTest(since = 2)
    void publishedPortsAreReachableFromTheHostsLoopbackItsBridgeAddressAndOtherContainers(int chapter) throws Exception {
        this.chapter = chapter;
        cli.chapter(chapter);
        int http = freePort(), local = freePort(), udp = freePort();
        ok("run", "-d", "--name", "web", "-p", http + ":80", "-p", "127.0.0.1:" + local + ":80", "-p", udp + ":5300/udp",
                "busybox", "sh", "-c", "udp-echo -l 5300 & exec httpd -f -p 80 -h /etc");

        assertThat(httpGet("127.0.0.1", http, "/hostname")).isEqualTo("web\n");
        assertThat(httpGet(gateway, http, "/hostname")).isEqualTo("web\n");
        assertThat(httpGet("127.0.0.1", local, "/hostname")).isEqualTo("web\n");
        assertThatThrownBy(() -> connect(gateway, local)).as("published on 127.0.0.1 only")
                .isInstanceOf(ConnectException.class);
        // From 127.0.0.1 the container sees the bridge's address (route_localnet + masquerade)
        assertThat(udpAsk("127.0.0.1", udp, "query")).isEqualTo("echo query (from " + gateway + ")");

        // Another container reaches it through the host's address (hairpin NAT), over TCP and UDP
        assertThat(ok("run", "--rm", "busybox", "wget", "-qO-", "http://" + gateway + ":" + http + "/hostname").stdout())
                .isEqualTo("web\n");
        assertThat(ok("run", "--rm", "busybox", "udp-echo", gateway, Integer.toString(udp), "again").stdout())
                .isEqualTo("echo again (from " + gateway + ")\n");

        JsonNode settings = inspect("web").get("NetworkSettings");
        assertThat(settings.get("Ports").get("80/tcp").toString())
                .isEqualTo("[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + http + "\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + local + "\"}]");
        assertThat(settings.get("Ports").get("5300/udp").toString()).isEqualTo("[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + udp + "\"}]");
        JsonNode bridge = settings.get("Networks").get("bridge");
        assertThat(bridge.get("Gateway").asText()).isEqualTo(gateway);
        assertThat(bridge.get("IPPrefixLen").asInt()).isEqualTo(24);
        assertThat(bridge.get("HostVeth").asText()).startsWith(Cli.NETWORK_PREFIX + "-");
        ok("rm", "-f", "web");
    }

    @ChapterTest(since = 2)
    void aUserNetworkResolvesNamesAndIsIsolatedFromOtherNetworks(int chapter) throws Exception {
        this.chapter = chapter;
        cli.chapter(chapter);
        Ipv4Subnet back = NetTestSupport.freeSubnet();
        Ipv4Subnet front = NetTestSupport.freeSubnet();
        while (front.overlaps(back)) {
            front = NetTestSupport.freeSubnet();
        }
        assertThat(ok("network", "create", "--subnet", back.toString(), "back").stdout()).isEqualTo("back\n");
        ok("network", "create", "--subnet", front.toString(), "front");
        ok("run", "-d", "--name", "db", "--network", "back", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        ok("run", "-d", "--name", "api", "--network", "back", "busybox", "sleep", "600");
        String db = ipOf("db");
        assertThat(db).isEqualTo(back.address(2).getHostAddress());

        assertThat(ok("exec", "api", "wget", "-qO-", "http://db/hostname").stdout()).isEqualTo("db\n");
        assertThat(ok("exec", "db", "cat", "/etc/hosts").stdout()).contains(ipOf("api") + "\tapi\n");

        // Every member's /etc/hosts follows the network: a new member appears, a removed one goes
        ok("run", "-d", "--name", "cache", "--network", "back", "busybox", "sleep", "600");
        assertThat(ok("exec", "api", "cat", "/etc/hosts").stdout()).contains("\tcache\n").contains("\tdb\n");
        ok("rm", "-f", "cache");
        assertThat(ok("exec", "api", "cat", "/etc/hosts").stdout()).doesNotContain("cache").contains("\tdb\n");

        assertThat(ok("exec", "api", "sh", "-c", "ping -c 1 -W 1 db >/dev/null; echo \"exit $?\"").stdout())
                .as("ping works within a network, so the failures below are the walls").isEqualTo("exit 0\n");

        // Another network reaches neither the name nor the address
        ok("run", "-d", "--name", "ui", "--network", "front", "busybox", "sleep", "600");
        assertThat(ok("exec", "ui", "sh", "-c", "wget -qO- http://db/hostname 2>&1; echo \"exit $?\"").stdout())
                .contains("bad address 'db'").endsWith("exit 1\n");
        assertThat(ok("exec", "ui", "sh", "-c", "echo GET | nc -w 2 " + db + " 80 2>&1; echo \"exit $?\"").stdout())
                .isEqualTo("nc: timed out\nexit 1\n");
        assertThat(ok("exec", "ui", "sh", "-c", "ping -c 1 -W 1 " + db + " >/dev/null; echo \"exit $?\"").stdout()).isEqualTo("exit 1\n");
        assertThat(ok("exec", "api", "sh", "-c", "ping -c 1 -W 1 " + ipOf("ui") + " >/dev/null; echo \"exit $?\"").stdout())
                .as("and the other way round").isEqualTo("exit 1\n");
        // ... while the host reaches both
        assertThat(httpGet(db, 80, "/hostname")).isEqualTo("db\n");

        // The default network resolves no names, as Docker's
        ok("run", "-d", "--name", "plain", "busybox", "sleep", "600");
        assertThat(ok("run", "--rm", "busybox", "sh", "-c", "cat /etc/hosts; ping -c 1 -W 1 plain 2>&1; true").stdout())
                .doesNotContain("\tplain").contains("bad address 'plain'");

        String ls = ok("network", "ls").stdout();
        assertThat(ls).containsPattern("(?m)^back +" + Cli.NETWORK_PREFIX + "\\d+ +" + back + " +" + back.gateway().getHostAddress() + " +2$");
        assertThat(inspectNetwork("back").get("Containers").toString()).contains("\"Name\":\"db\"").contains("\"Name\":\"api\"");

        Cli.Result refused = jbox("network", "rm", "back");
        oneLineError(refused, "network back has 2 container(s) attached (");
        String bridge = inspectNetwork("back").get("Bridge").asText();
        ok("rm", "-f", "db", "api");
        assertThat(ok("network", "rm", "back").stdout()).isEqualTo("back\n");
        assertThat(sh("ip", "-o", "link")).doesNotContain(bridge + ":");
        assertThat(ok("network", "ls").stdout()).contains("front").doesNotContain("back");
        ok("rm", "-f", "ui", "plain");
    }

    @ChapterTest(since = 2)
    void hostAndNoneNetworks(int chapter) throws Exception {
        this.chapter = chapter;
        cli.chapter(chapter);
        String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(ok("run", "--rm", "--network", "host", "busybox", "sh", "-c",
                "readlink /proc/self/ns/net; hostname; cat /etc/hosts").stdout())
                .isEqualTo(hostNet + "\n" + hostname + "\n" + Files.readString(Path.of("/etc/hosts")));
        assertThat(ok("run", "--rm", "--network", "none", "busybox", "sh", "-c", "ip -o link | cut -d' ' -f2").stdout())
                .isEqualTo("lo:\n");
        ok("run", "-d", "--name", "nonet", "--namespaces", "pid,uts", "busybox", "sleep", "600");
        assertThat(inspect("nonet").get("HostConfig").get("NetworkMode").asText()).as("no NET namespace: the host's network")
                .isEqualTo("host");
        assertThat(sh("ip", "-o", "link")).doesNotContain(Cli.NETWORK_PREFIX);
        ok("rm", "-f", "nonet");
    }

    @ChapterTest(since = 2)
    void rmRunRmStopAndSystemResetUnplugContainers(int chapter) throws Exception {
        this.chapter = chapter;
        cli.chapter(chapter);
        int port = freePort();
        ok("run", "-d", "--name", "a", "-p", port + ":80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        String veth = inspect("a").get("NetworkSettings").get("Networks").get("bridge").get("HostVeth").asText();
        assertThat(sh("ip", "-o", "link", "show", "master", Cli.NETWORK_PREFIX + "0")).contains(veth);
        ok("rm", "-f", "a");
        assertThat(sh("ip", "-o", "link")).doesNotContain(veth);
        assertThat(inspectNetwork("bridge").get("Containers").size()).isZero();
        assertThat(sh("iptables-save", "-t", "nat")).doesNotContain("--dport " + port);

        // --rm in the foreground: the port is free as soon as run returns
        ok("run", "--rm", "-p", port + ":80", "busybox", "true");
        ok("run", "--rm", "-p", port + ":80", "busybox", "true");
        // a detached container that ended: the next jbox command unplugs it, as Docker frees a stopped container's ports
        ok("run", "-d", "--name", "b", "-p", port + ":80", "busybox", "sleep", "600");
        ok("stop", "-t", "0", "b");
        ok("run", "-d", "--name", "c", "-p", port + ":80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        assertThat(inspect("b").get("NetworkSettings").get("Networks").get("bridge").get("IPAddress").asText()).isEmpty();
        assertThat(httpGet("127.0.0.1", port, "/hostname")).isEqualTo("c\n");

        Ipv4Subnet extra = NetTestSupport.freeSubnet();
        ok("network", "create", "--subnet", extra.toString(), "extra");
        ok("run", "-d", "--name", "d", "--network", "extra", "busybox", "sleep", "600");
        // A build's cache, and the scratch of a build killed in a RUN step, its overlay still mounted: reset clears both
        Path context = Files.createDirectories(store.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY f /f\n");
        Files.writeString(context.resolve("f"), "f\n");
        ok("build", "-q", "-t", "cached", context.toString());
        assertThat(store.resolve("build-cache")).isNotEmptyDirectory();
        Path killed = Files.createDirectories(store.resolve("build-tmp/step-killed/merged"));
        sh("mount", "-t", "tmpfs", "jbox-test", killed.toString());
        String reset = ok("system", "reset").stdout();
        assertThat(reset).contains("removed the build cache ", "removed the builds' scratch ");
        assertThat(store.resolve("build-cache")).doesNotExist();
        assertThat(store.resolve("build-tmp")).doesNotExist();
        assertThat(reset).contains("removed container b (", "removed container c (", "removed container d (",
                "removed network bridge (bridge " + Cli.NETWORK_PREFIX + "0, " + Cli.DEFAULT_SUBNET + ")",
                "removed network extra (bridge " + Cli.NETWORK_PREFIX, "removed iptables chain " + Cli.NETWORK_PREFIX.toUpperCase()
                        + " (nat table)");
        if (forwardingBefore.equals("0")) {
            assertThat(reset).contains("put net.ipv4.ip_forward back to 0");
        }
        assertThat(ours()).isEmpty();
        assertThat(ok("system", "reset").stdout()).isEqualTo("nothing to remove\n");
    }

    @ChapterTest(since = 2)
    void badInputIsOneLineAndLeavesNothingHalfMade(int chapter) throws Exception {
        this.chapter = chapter;
        cli.chapter(chapter);
        int port;
        try (ServerSocket busy = new ServerSocket(0)) {
            port = busy.getLocalPort();
            oneLineError(jbox("run", "--name", "x", "-p", port + ":80", "busybox", "true"),
                    "host port " + port + "/tcp is already in use on this host");
        }
        assertThat(ok("ps", "-aq").stdout()).isEmpty();
        assertThat(sh("ip", "-o", "link")).doesNotContain(Cli.NETWORK_PREFIX + "-");
        assertThat(inspectNetwork("bridge").get("Containers").size()).isZero();

        oneLineError(jbox("run", "-p", "80", "busybox", "true"), "invalid -p 80: port \"80\" is not HOSTPORT:CONTAINERPORT");
        oneLineError(jbox("run", "-p", "8080:http", "busybox", "true"), "invalid -p 8080:http");
        oneLineError(jbox("run", "-p", "0:80", "busybox", "true"), "host port 0 is not between 1 and 65535");
        oneLineError(jbox("run", "-p", "8080:80/sctp", "busybox", "true"), "protocol \"sctp\" is neither tcp nor udp");
        oneLineError(jbox("run", "-p", "9.9.9.9:8080:80", "busybox", "true"), "9.9.9.9 is not an address of this host");
        oneLineError(jbox("run", "-p", port + ":80", "-p", port + ":81", "busybox", "true"), "is published twice");
        oneLineError(jbox("run", "--network", "nowhere", "busybox", "true"), "no such network: 'nowhere'");
        oneLineError(jbox("run", "--network", "none", "-p", port + ":80", "busybox", "true"), "-p needs a network with NAT");
        oneLineError(jbox("run", "--network", "bridge", "--namespaces", "pid", "busybox", "true"), "needs a network namespace");
        oneLineError(jbox("run", "--chapter", "1", "--network", "none", "busybox", "true"), "use --chapter 2");

        ok("run", "-d", "--name", "first", "-p", port + ":80", "busybox", "sleep", "600");
        oneLineError(jbox("run", "--name", "second", "-p", port + ":81", "busybox", "true"),
                "host port " + port + "/tcp is already published by container " + shortId("first"));
        assertThat(ok("ps", "-a").stdout()).doesNotContainPattern("(?m) second$");

        oneLineError(jbox("network", "create", "--subnet", Cli.DEFAULT_SUBNET, "clash"), "overlaps network bridge");
        oneLineError(jbox("network", "create", "--subnet", "10.1.2.3/33", "bad"), "invalid --subnet 10.1.2.3/33");
        oneLineError(jbox("network", "create", "--subnet", "10.1.2.3/24", "bad"), "has host bits set");
        oneLineError(jbox("network", "create", "bridge"), "'bridge' is a pre-defined network");
        oneLineError(jbox("network", "create", "no/slash"), "invalid network name");
        oneLineError(jbox("network", "rm", "host"), "'host' is a pre-defined network and cannot be removed");
        oneLineError(jbox("network", "rm", "ghost"), "no such network: 'ghost'");
        oneLineError(jbox("network", "inspect", "ghost"), "no such network: 'ghost'");
        Ipv4Subnet free = NetTestSupport.freeSubnet();
        ok("network", "create", "--subnet", free.toString(), "once");
        oneLineError(jbox("network", "create", "once"), "network 'once' already exists");
        oneLineError(jbox("network", "create", "--subnet", free.toString(), "twice"), "overlaps network once");
        assertThat(ok("network", "ls").stdout()).doesNotContain("clash", "bad", "twice");
        try (var dirs = Files.list(store.resolve("networks"))) {
            assertThat(dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("bridge", "once");
        }
        ok("rm", "-f", "first");
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Cli.Result jbox(String... args) {
        return cli.jbox(args);
    }

    private Cli.Result ok(String... args) {
        return cli.ok(args);
    }

    private static void oneLineError(Cli.Result r, String fragment) {
        Cli.assertOneLineError(r, fragment);
    }

    private JsonNode inspect(String container) throws IOException {
        return JSON.readTree(ok("inspect", container).stdout()).get(0);
    }

    private JsonNode inspectNetwork(String network) throws IOException {
        return JSON.readTree(ok("network", "inspect", network).stdout()).get(0);
    }

    private String ipOf(String container) throws IOException {
        JsonNode networks = inspect(container).get("NetworkSettings").get("Networks");
        return networks.elements().next().get("IPAddress").asText();
    }

    private String shortId(String container) throws IOException {
        return inspect(container).get("Id").asText().substring(0, 12);
    }

    private static String subnetStart() {
        return Cli.DEFAULT_SUBNET.substring(0, Cli.DEFAULT_SUBNET.lastIndexOf('.') + 1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0); DatagramSocket d = new DatagramSocket(s.getLocalPort())) {
            return s.getLocalPort();
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 3000);
        return s;
    }

    /** An HTTP GET from the host, retried for 10 s while the container's server starts; the body. */
    private static String httpGet(String host, int port, String path) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = connect(host, port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.");
                return response.substring(response.indexOf("\r\n\r\n") + 4);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** A datagram from the host, retried while the container's server starts; the answer. */
    private static String udpAsk(String host, int port, String text) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int attempt = 0; ; attempt++) {
                s.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(host, port)));
                DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                try {
                    s.receive(in);
                    return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    if (attempt == 9) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Answers one TCP client's line with "host saw ADDRESS: LINE", on a background thread. */
    private static Thread answerOnce(ServerSocket server) {
        return inBackground(() -> {
            try (Socket c = server.accept()) {
                String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)).readLine();
                String peer = ((InetSocketAddress) c.getRemoteSocketAddress()).getAddress().getHostAddress();
                new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8).println("host saw " + peer + ": " + line);
            }
        });
    }

    /** Answers one datagram with "host saw ADDRESS: TEXT", on a background thread. */
    private static Thread echoOnce(DatagramSocket server) {
        return inBackground(() -> {
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            server.receive(in);
            byte[] answer = ("host saw " + in.getAddress().getHostAddress() + ": "
                    + new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            server.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
        });
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private static Thread inBackground(IoTask task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "host-peer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
