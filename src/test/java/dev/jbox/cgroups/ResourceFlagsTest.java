package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Docker's resource flags, right and wrong, against a made-up two-CPU machine: values and errors as Docker's. */
class ResourceFlagsTest {
    private static final Machine V1 = new Machine(2, "0-1", "0", CgroupVersion.V1, true);
    private static final Machine V2 = new Machine(2, "0-1", "0", CgroupVersion.V2, true);

    private static Resources create(UnaryOperator<ResourceFlags> flags) {
        return flags.apply(new ResourceFlags()).toResources(V1);
    }

    private static void refused(UnaryOperator<ResourceFlags> flags, String message) {
        assertThatThrownBy(() -> create(flags)).isInstanceOf(JboxException.class).hasMessage(message);
    }

    @Test
    void noFlagsGiveDockersDeviceRulesAndNothingElse() {
        assertThat(create(f -> f)).isEqualTo(new Resources(null, null, null, null, DeviceRule.DOCKER_DEFAULTS));
    }

    @Test
    void memoryGetsTwiceAsMuchSwapByDefault() {
        Resources r = create(f -> f.memory("512m"));
        assertThat(r.memory()).isEqualTo(new Resources.Memory(536870912L, null, 1073741824L, null));
    }

    @Test
    void memorySwapMinusOneIsUnlimitedSwap() {
        assertThat(create(f -> f.memory("1g").memorySwap("-1")).memory().swap()).isEqualTo(-1L);
        assertThat(create(f -> f.memory("1g").memorySwap("1g")).memory().swap()).isEqualTo(1073741824L);
    }

    @Test
    void withoutSwapAccountingMemoryIsLimitedWithoutSwapAndDockerSaysSo() {
        ResourceFlags flags = new ResourceFlags().memory("64m");
        Resources r = flags.toResources(new Machine(2, "0-1", "0", CgroupVersion.V1, false));
        assertThat(r.memory().swap()).isEqualTo(-1L);
        assertThat(flags.warnings()).containsExactly("Your kernel does not support swap limit capabilities or the "
                + "cgroup is not mounted. Memory limited without swap.");
    }

    @Test
    void memoryErrorsAreDockers() {
        refused(f -> f.memory("4m"), "Minimum memory limit allowed is 6MB");
        refused(f -> f.memory("1"), "Minimum memory limit allowed is 6MB");
        refused(f -> f.memory("1g").memorySwap("512m"),
                "Minimum memoryswap limit should be larger than memory limit, see usage");
        refused(f -> f.memorySwap("1g"), "You should always set the Memory limit when using Memoryswap limit, see usage");
        refused(f -> f.memoryReservation("1m"), "Minimum memory reservation allowed is 6MB");
        refused(f -> f.memory("100m").memoryReservation("200m"),
                "Minimum memory limit can not be less than memory reservation limit, see usage");
        refused(f -> f.memory("lots"), "invalid argument \"lots\" for \"--memory\" flag: invalid size: 'lots'");
        refused(f -> f.memorySwap("-2"), "invalid argument \"-2\" for \"--memory-swap\" flag: invalid size: '-2'");
        refused(f -> f.memoryReservation("1q"),
                "invalid argument \"1q\" for \"--memory-reservation\" flag: invalid size: '1q'");
    }

    @Test
    void reservationAndOomKillDisableReachTheSpec() {
        Resources r = create(f -> f.memory("256m").memoryReservation("128m").oomKillDisable(true));
        assertThat(r.memory()).isEqualTo(new Resources.Memory(268435456L, 134217728L, 536870912L, true));
    }

    @Test
    void oomKillDisableWithoutAMemoryLimitIsAWarningAndOnV2ItIsDiscarded() {
        ResourceFlags v1 = new ResourceFlags().oomKillDisable(true);
        assertThat(v1.toResources(V1).memory().disableOOMKiller()).isTrue();
        assertThat(v1.warnings()).containsExactly("OOM killer is disabled for the container, but no memory limit is "
                + "set, this can result in the system running out of resources.");
        ResourceFlags v2 = new ResourceFlags().memory("64m").oomKillDisable(true);
        assertThat(v2.toResources(V2).memory().disableOOMKiller()).isNull();
        assertThat(v2.warnings()).containsExactly("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 150000", "0.5, 50000", "2, 200000", "0.01, 1000", "0.001, 100", "3/4, 75000"})
    void cpusBecomeAQuotaPerPeriodOf100ms(String cpus, long quota) {
        assertThat(create(f -> f.cpus(cpus)).cpu()).isEqualTo(new Resources.Cpu(null, quota, 100000L, null, null));
    }

    @Test
    void cpuErrorsAreDockers() {
        refused(f -> f.cpus("3"), "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
        refused(f -> f.cpus("-1"), "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
        refused(f -> f.cpus("1.5").cpuPeriod("50000"), "Conflicting options: Nano CPUs and CPU Period cannot both be set");
        refused(f -> f.cpus("1.5").cpuQuota("50000"), "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        refused(f -> f.cpus("half"), "invalid argument \"half\" for \"--cpus\" flag: failed to parse half as a rational number");
        refused(f -> f.cpus("0.0000000001"), "invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise");
        refused(f -> f.cpuPeriod("500"),
                "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        refused(f -> f.cpuPeriod("2000000"),
                "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        refused(f -> f.cpuQuota("999"), "CPU cfs quota can not be less than 1ms (i.e. 1000)");
        refused(f -> f.cpuQuota("1.5"),
                "invalid argument \"1.5\" for \"--cpu-quota\" flag: strconv.ParseInt: parsing \"1.5\": invalid syntax");
        refused(f -> f.cpuShares("-5"), "shares: invalid argument");
        refused(f -> f.cpuShares("many"),
                "invalid argument \"many\" for \"--cpu-shares\" flag: strconv.ParseInt: parsing \"many\": invalid syntax");
    }

    @Test
    void periodQuotaAndSharesPassAsGiven() {
        assertThat(create(f -> f.cpuPeriod("50000").cpuQuota("25000").cpuShares("512")).cpu())
                .isEqualTo(new Resources.Cpu(512L, 25000L, 50000L, null, null));
        assertThat(create(f -> f.cpuQuota("-1")).cpu().quota()).isEqualTo(-1L);
    }

    @Test
    void sharesOutOfTheKernelsRangeAreMovedIntoItWithAWarning() {
        ResourceFlags low = new ResourceFlags().cpuShares("1");
        assertThat(low.toResources(V1).cpu().shares()).isEqualTo(2L);
        assertThat(low.warnings()).containsExactly("Changing requested CPUShares of 1 to minimum allowed of 2");
        ResourceFlags high = new ResourceFlags().cpuShares("300000");
        assertThat(high.toResources(V1).cpu().shares()).isEqualTo(262144L);
        assertThat(high.warnings()).containsExactly("Changing requested CPUShares of 300000 to maximum allowed of 262144");
    }

    @Test
    void cpusetsMustNameWhatTheMachineHas() {
        assertThat(create(f -> f.cpusetCpus("0-1").cpusetMems("0")).cpu())
                .isEqualTo(new Resources.Cpu(null, null, null, "0-1", "0"));
        assertThat(create(f -> f.cpusetCpus("1,0")).cpu().cpus()).isEqualTo("1,0");
        refused(f -> f.cpusetCpus("0-1,3"), "Requested CPUs are not available - requested 0-1,3, available: 0-1");
        refused(f -> f.cpusetCpus("0-x"), "Invalid value 0-x for cpuset cpus: invalid format: 0-x");
        refused(f -> f.cpusetCpus("1-0"), "Invalid value 1-0 for cpuset cpus: invalid format: 1-0");
        refused(f -> f.cpusetCpus("0,,1"), "Invalid value 0,,1 for cpuset cpus: invalid format: 0,,1");
        refused(f -> f.cpusetCpus("-1"), "Invalid value -1 for cpuset cpus: invalid format: -1");
        refused(f -> f.cpusetMems("1"), "Requested memory nodes are not available - requested 1, available: 0");
    }

    @Test
    void cpusetListsAreReadAsTheKernelWritesThem() {
        assertThat(Cpuset.parse("0-1,3")).containsExactly(0, 1, 3);
        assertThat(Cpuset.parse("5,0-2")).containsExactly(0, 1, 2, 5);
        assertThat(Cpuset.parse("")).isEmpty();
        assertThatThrownBy(() -> Cpuset.parse("0-")).hasMessage("invalid format: 0-");
        assertThatThrownBy(() -> Cpuset.parse("a")).hasMessage("invalid format: a");
    }

    @Test
    void pidsLimitOfZeroOrLessIsUnlimited() {
        assertThat(create(f -> f.pidsLimit("100")).pids()).isEqualTo(new Resources.Pids(100));
        assertThat(create(f -> f.pidsLimit("0")).pids()).isEqualTo(new Resources.Pids(-1));
        assertThat(create(f -> f.pidsLimit("-1")).pids()).isEqualTo(new Resources.Pids(-1));
        refused(f -> f.pidsLimit("ten"),
                "invalid argument \"ten\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"ten\": invalid syntax");
    }

    @Test
    void blockIoWeightAndThrottlesNameTheDeviceByItsNumbers() {
        // /dev/null is character device 1:3 on every Linux machine; Docker looks any path up the same way.
        Resources r = create(f -> f.blkioWeight("500").deviceWriteBps("/dev/null:10mb").deviceReadBps("/dev/null:1g")
                .deviceReadIops("/dev/null:1000").deviceWriteIops("/dev/zero:20"));
        assertThat(r.blockIO()).isEqualTo(new Resources.BlockIo(500,
                List.of(new Resources.ThrottleDevice(1, 3, 1073741824)),
                List.of(new Resources.ThrottleDevice(1, 3, 10485760)),
                List.of(new Resources.ThrottleDevice(1, 3, 1000)),
                List.of(new Resources.ThrottleDevice(1, 5, 20))));
    }

    @Test
    void blockIoErrorsAreDockers() {
        refused(f -> f.blkioWeight("5"), "Range of blkio weight is from 10 to 1000");
        refused(f -> f.blkioWeight("2000"), "Range of blkio weight is from 10 to 1000");
        refused(f -> f.blkioWeight("x"),
                "invalid argument \"x\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"x\": invalid syntax");
        refused(f -> f.blkioWeight("70000"), "invalid argument \"70000\" for \"--blkio-weight\" flag: "
                + "strconv.ParseUint: parsing \"70000\": value out of range");
        refused(f -> f.deviceWriteBps("/dev/null"), "invalid argument \"/dev/null\" for \"--device-write-bps\" flag: "
                + "bad format: /dev/null");
        refused(f -> f.deviceWriteBps(":10mb"), "invalid argument \":10mb\" for \"--device-write-bps\" flag: "
                + "bad format: :10mb");
        refused(f -> f.deviceWriteBps("sda:10mb"), "invalid argument \"sda:10mb\" for \"--device-write-bps\" flag: "
                + "bad format for device path: sda:10mb");
        refused(f -> f.deviceReadBps("/dev/null:10xb"), "invalid argument \"/dev/null:10xb\" for \"--device-read-bps\" "
                + "flag: invalid rate for device: /dev/null:10xb. The correct format is <device-path>:<number>[<unit>]. "
                + "Number must be a positive integer. Unit is optional and can be kb, mb, or gb");
        refused(f -> f.deviceWriteIops("/dev/null:1k"), "invalid argument \"/dev/null:1k\" for \"--device-write-iops\" "
                + "flag: invalid rate for device: /dev/null:1k. The correct format is <device-path>:<number>. "
                + "Number must be a positive integer");
        refused(f -> f.deviceWriteBps("/dev/no-such-disk:1mb"), "stat /dev/no-such-disk: no such file or directory");
    }

    @Test
    void anUpdateCarriesOnlyTheFlagsGivenAndNoDeviceRules() {
        Resources r = new ResourceFlags().memory("1g").toUpdate(V1);
        assertThat(r).isEqualTo(new Resources(new Resources.Memory(1073741824L, null, null, null), null, null, null, null));
        assertThat(new ResourceFlags().memorySwap("2g").toUpdate(V1).memory().swap()).isEqualTo(2147483648L);
        assertThat(new ResourceFlags().cpus("0.5").pidsLimit("50").toUpdate(V1))
                .isEqualTo(new Resources(null, new Resources.Cpu(null, 50000L, 100000L, null, null),
                        new Resources.Pids(50), null, null));
        assertThatThrownBy(() -> new ResourceFlags().deviceWriteBps("/dev/null:1mb").toUpdate(V1))
                .hasMessageContaining("update cannot change");
    }
}
