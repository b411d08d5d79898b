package dev.jbox.vm;

/**
 * One boot, timed from just before QEMU is started.
 *
 * @param upMs        until the guest's init printed its marker on the serial console
 * @param exitMs      until QEMU had exited
 * @param commandMs   exec mode: from the marker until the command's exit was reported (else null)
 * @param commandExit exec mode: the command's exit status in the guest (else null)
 * @param peakRssMiB  QEMU's peak resident memory (VmHWM) when last read, at the last marker
 * @param upPssMiB    QEMU's proportional set size when the guest said it was up (null in older result files)
 */
public record BootResult(double upMs, double exitMs, Double commandMs, Integer commandExit, double peakRssMiB,
                         Double upPssMiB) {
}
