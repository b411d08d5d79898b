package dev.jbox.bench.overhead;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.Json;
import dev.jbox.bench.vm.VmBaseline;
import dev.jbox.bench.vm.VmResults;
import dev.jbox.vm.BootResult;
import dev.jbox.vm.GuestExtras;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The workload program in the VM baseline's exec-mode guest ({@code -M q35}, 1 vCPU): one boot,
 * the workloads run {@code reps} times in it, their result lines read from the console.
 */
public final class VmWork {
    public static final String IN_GUEST = "/bench/" + WorkProgram.NAME;
    public static final String MACHINE = "q35";

    /**
     * @param accelerator     "kvm" or "tcg"
     * @param acceleratorNote why that one
     * @param kernel          the guest's kernel, for labels
     * @param runs            every workload's result, in the order they ran
     */
    public record Result(String accelerator, String acceleratorNote, String kernel, List<OverheadResults.Run> runs) {
        public boolean emulated() {
            return !accelerator.equals("kvm");
        }
    }

    private VmWork() {
    }

    /**
     * Boots the guest with {@code memoryMiB} and the program at {@link #IN_GUEST}, and runs it
     * {@code reps} times with the arguments {@code arguments} gives for the accelerator (true:
     * emulated). The accelerator is the one {@code accelFrom} (vm.json of this run) chose, if given.
     */
    public static Result run(Path cache, String accel, Path accelFrom, int memoryMiB, Path program,
                             Function<Boolean, List<String>> arguments, GuestExtras extras, int reps) throws IOException {
        String requested = accel;
        String inherited = null;
        if (accelFrom != null && Files.exists(accelFrom)) {
            VmResults vm = Json.read(accelFrom, VmResults.class);
            requested = vm.accelerator();
            inherited = "as chosen for " + accelFrom.getFileName() + " in this run: " + vm.acceleratorNote();
        }
        VmBaseline.Options options = VmBaseline.Options.of(cache, requested, memoryMiB);
        VmBaseline.Prepared guest = options.prepare();
        boolean emulated = !guest.acceleratorName().equals("kvm");
        Map<String, Path> executables = new HashMap<>(extras.executables());
        executables.put(IN_GUEST, program);
        GuestExtras withProgram = new GuestExtras(executables, extras.modules(), extras.setup(), extras.qemuArgs());
        String suite = IN_GUEST + " " + String.join(" ", arguments.apply(emulated));
        String loop = "i=0; while [ $i -lt " + reps + " ]; do " + suite + " || exit 1; i=$((i+1)); done";
        StringBuilder output = new StringBuilder();
        BootResult boot = options.exec(guest, MACHINE, List.of("sh", "-c", loop), withProgram, Duration.ofMinutes(10),
                line -> {
                    output.append(line).append('\n');
                    System.err.println("vm work: " + line);
                });
        if (boot.commandExit() == null || boot.commandExit() != 0) {
            throw new BenchException("the workloads in the VM failed (exit " + boot.commandExit() + "); its output is above");
        }
        return new Result(guest.acceleratorName(), inherited != null ? inherited : guest.acceleratorNote(),
                VmBaseline.Options.kernelName(guest), WorkProgram.parse(output.toString()));
    }
}
