package dev.jbox.bench.report;

import dev.jbox.bench.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** MACHINE.md: what the recorded numbers were measured on, read from the machine itself. */
final class MachineInfo {
    static final String FILE = "MACHINE.md";
    /** A copy of /proc/loadavg from the start of the run. */
    static final String LOAD_AT_START = "loadavg-at-start.txt";

    private MachineInfo() {
    }

    static String markdown(ResultFiles files) {
        StringBuilder md = new StringBuilder("# The machine of the recorded results\n\n"
                + "Read from the machine by `dev.jbox.bench.report.MachineInfo` in the same run as "
                + "[RESULTS.md](RESULTS.md). The cores may be shared with other work: the load average says how busy "
                + "the machine was over the run (a 15-minute average above the number of cores means the "
                + "benchmarks competed for CPU).\n\n| | |\n|---|---|\n");
        facts(files).forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return md.toString();
    }

    /** The machine in one sentence, for the book: plain text, no markup. */
    static String oneLine(ResultFiles files) {
        String vm = files.vm == null ? "" : ", QEMU " + files.vm.qemu().replaceAll("^QEMU emulator version (\\S+).*", "$1")
                + " (" + files.vm.accelerator().toUpperCase() + ")";
        return cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Linux "
                + read("/proc/sys/kernel/osrelease").strip() + ", cgroups " + cgroups() + ", " + jdk(files)
                + ", " + version("crun") + ", " + version("runc") + vm + "; load average " + loadAverage();
    }

    private static Map<String, String> facts(ResultFiles files) {
        Map<String, String> facts = new LinkedHashMap<>();
        String cpuinfo = read("/proc/cpuinfo");
        facts.put("CPU", cpu() + " (`model name` in /proc/cpuinfo)");
        facts.put("cores", Runtime.getRuntime().availableProcessors() + " online"
                + (cpuinfo.matches("(?s).*\\bflags\\s*:[^\\n]*\\b(vmx|svm)\\b.*") ? ", hardware virtualisation (vmx/svm) visible"
                : ", no vmx/svm flag visible (KVM, if present, is nested)"));
        facts.put("memory", field(read("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1048576.0))
                .orElse("unknown"));
        facts.put("kernel", read("/proc/sys/kernel/osrelease").strip());
        facts.put("OS", field(read("/etc/os-release"), "PRETTY_NAME").map(s -> s.replace("\"", "")).orElse("unknown"));
        facts.put("cgroups", cgroups());
        facts.put("JDK", jdk(files));
        facts.put("peers", version("crun") + "; " + version("runc") + "; "
                + Commands.firstLineOr("Docker not installed", List.of("/usr/bin/docker", "--version")).replace(" version", ""));
        facts.put("QEMU", files.vm == null ? "not measured" : files.vm.qemu());
        facts.put("VM accelerator", files.vm == null ? "not measured"
                : "**" + files.vm.accelerator().toUpperCase() + "**: " + files.vm.acceleratorNote());
        facts.put("/dev/kvm", Files.exists(Path.of("/dev/kvm")) ? "present" : "absent");
        facts.put("process timer", files.process == null ? "not measured" : files.process.tool());
        // benchmarks/run records it when it starts the pieces.
        Path atStart = files.dir.resolve(LOAD_AT_START);
        if (Files.exists(atStart)) {
            facts.put("load average (1, 5, 15 min) when the run started", loadAverage(read(atStart.toString())));
        }
        facts.put("load average (1, 5, 15 min) when the report was written", loadAverage());
        return facts;
    }

    private static String cpu() {
        return field(read("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    private static String cgroups() {
        return Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "v2 (unified)"
                : Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) ? "v1, hybrid (v2 at /sys/fs/cgroup/unified)" : "v1";
    }

    private static String loadAverage() {
        return loadAverage(read("/proc/loadavg"));
    }

    private static String loadAverage(String loadavg) {
        return String.join(", ", List.of(loadavg.split(" ")).subList(0, 3));
    }

    /** "crun 1.8.1" from the first line of {@code program --version}. */
    private static String version(String program) {
        return Commands.firstLineOr(program + " not installed", List.of(program, "--version")).replace(" version", "");
    }

    /** The JDK that JMH ran on, as JMH recorded it, else this one. */
    private static String jdk(ResultFiles files) {
        if (files.jmh != null && files.jmh.size() > 0) {
            var first = files.jmh.get(0);
            return first.get("vmName").asText() + " " + first.get("vmVersion").asText() + " (JDK "
                    + first.get("jdkVersion").asText() + ", JMH " + first.get("jmhVersion").asText() + ")";
        }
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
    }

    private static Optional<String> field(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> l.substring(l.indexOf(l.contains("=") && !l.contains(":") ? '=' : ':') + 1).strip());
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
